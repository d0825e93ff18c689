//! The equilibrium solver (placeholder removed before commit).
