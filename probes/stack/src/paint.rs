//! Stack painting: run a closure on a stack of our own that was filled with a pattern, then
//! find the deepest byte it overwrote.
//!
//! The closure runs on a separate region (switched to with a few instructions of inline
//! assembly), so the measurement sees nothing but the closure's own frames and a fixed
//! trampoline overhead (measured by [`baseline`]).

use core::arch::asm;
use core::ffi::c_void;

/// The painted stack: far more than any entry point needs.
const STACK_BYTES: usize = 1 << 20;

/// The paint: a byte the code is unlikely to write at the deepest point of its frames.
const PAINT: u8 = 0xA5;

/// Calls the `&mut dyn FnMut()` behind `ctx`.
///
/// # Safety
/// `ctx` must point to a live `&mut dyn FnMut()`.
unsafe extern "C" fn trampoline(ctx: *mut c_void) {
    // SAFETY: `run_on` passes a pointer to a `&mut dyn FnMut()` that outlives this call.
    let f = unsafe { &mut *ctx.cast::<&mut dyn FnMut()>() };
    f();
}

/// Runs `f` with the stack pointer at `top` (16-byte aligned, with the region below it ours).
///
/// # Safety
/// `top` must be the 16-byte-aligned end of a writable region large enough for `f`.
#[cfg(target_arch = "x86_64")]
unsafe fn run_on(top: *mut u8, f: &mut dyn FnMut()) {
    let mut f = f;
    let ctx = (&mut f as *mut &mut dyn FnMut()).cast::<c_void>();
    // SAFETY: r12 is callee-saved, so it holds the old stack pointer across the call; the new
    // stack is aligned as the SysV ABI wants at a call; every caller-saved register is
    // declared clobbered.
    unsafe {
        asm!(
            "mov r12, rsp",
            "mov rsp, {top}",
            "call {tramp}",
            "mov rsp, r12",
            top = in(reg) top,
            tramp = sym trampoline,
            in("rdi") ctx,
            out("r12") _,
            clobber_abi("C"),
        );
    }
}

/// Bytes of stack used by `f` (plus the trampoline's few bytes), by painting.
#[cfg(target_arch = "x86_64")]
pub fn measure(mut f: impl FnMut()) -> usize {
    let mut region = vec![0u128; STACK_BYTES / 16];
    let bytes = region.len() * 16;
    let base = region.as_mut_ptr().cast::<u8>();
    // SAFETY: `base..base+bytes` is the region just allocated; writes stay inside it.
    unsafe { core::ptr::write_bytes(base, PAINT, bytes) };
    // SAFETY: `base + bytes` is the end of the region, 16-aligned since `region` is `u128`s.
    unsafe { run_on(base.add(bytes), &mut f) };
    // SAFETY: reading the region we own; volatile so that the scan is not optimised on the
    // assumption that nothing wrote it.
    let deepest = (0..bytes).find(|&i| unsafe { core::ptr::read_volatile(base.add(i)) } != PAINT);
    let used = deepest.map_or(0, |i| bytes - i);
    assert!(
        used < bytes - 4096,
        "the painted stack was nearly exhausted: enlarge STACK_BYTES"
    );
    drop(region);
    used
}

#[cfg(not(target_arch = "x86_64"))]
pub fn measure(_: impl FnMut()) -> usize {
    compile_error!("stack painting is implemented for x86_64 hosts only")
}

/// What the trampoline and an empty closure use: subtract it from a measurement.
pub fn baseline() -> usize {
    measure(|| {})
}
