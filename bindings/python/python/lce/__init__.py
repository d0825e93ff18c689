"""lce: a deterministic fixed-point risk kernel for leveraged DeFi markets, from Python.

Every number is exact. Amounts go in as ``decimal.Decimal`` or ``str`` ("0.05",
"-12.000000000000000001": at most 18 fractional digits, nothing is ever rounded on the way
in) and come out as ``Decimal``; an ``int`` is taken where the kernel takes an integer (a
token's index, a count, a seed). A ``float`` is refused: it is not exact. Floats are made only
by views asked for by name (``HealthBatch.floats``).

Errors are ``lce.Error`` (with ``kind``, ``what`` and ``why``), one subclass per kind:
``InvalidError``, ``OverflowError``, ``DivisionByZeroError``, ``DomainError``,
``CapacityError``.

The typed functions take keyword arguments shaped as the ops of ``lce eval``
(``vectors/README.md``); ``lce.eval`` speaks that protocol itself, and ``lce.run`` plays a
cascade scenario.
"""

from __future__ import annotations

import builtins as _builtins
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

__all__ = [
    "Error", "InvalidError", "OverflowError", "DivisionByZeroError", "DomainError", "CapacityError",
    "Market", "Health", "HealthLevel", "HealthBatch", "Session",
    "health", "liquidate", "plan_liquidation", "liquidator_decision", "bs_price", "bs_greeks",
    "implied_vol", "dynamic_margin", "option_margin", "ewma_vol", "market_sell", "op",
    "eval", "run", "study", "to_pandas", "to_raw", "from_raw", "OPS",
]


class Error(Exception):
    """An error of the kernel or of its input.

    ``kind`` is one of ``"invalid"``, ``"overflow"``, ``"division_by_zero"``, ``"domain"``,
    ``"capacity"``; ``what`` names the field (``"tokens[1].price"``) or the argument;
    ``why`` says what rule was broken (``None`` only for the kernel errors that have none:
    ``overflow``, ``division_by_zero``); ``field``, for an error of ``study``, is the scenario
    field concerned (else ``None``).
    """

    def __init__(self, kind: str, what: str, why: Optional[str] = None, field: Optional[str] = None):
        super().__init__(kind, what, why)
        self.kind = kind
        self.what = what
        self.why = why
        self.field = field

    def __str__(self) -> str:
        text = f"{self.kind}: {self.what}"
        if self.field is not None:
            text += f" ({self.field})"
        return f"{text}: {self.why}" if self.why else text

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.kind!r}, {self.what!r}, {self.why!r})"


class InvalidError(Error, ValueError):
    """A malformed or out-of-range input: ``what`` names the field."""


class OverflowError(Error, _builtins.OverflowError):
    """A result that does not fit the wad range (about ±1.7e20)."""


class DivisionByZeroError(Error, ZeroDivisionError):
    """A division by zero."""


class DomainError(Error, ValueError):
    """A function's argument outside its mathematical domain (``ln`` of 0, ...)."""


class CapacityError(Error):
    """A fixed-capacity container is full (the kernel never allocates)."""


from ._lce import OPS, Health, HealthBatch, Market, Session, from_raw, to_raw  # noqa: E402
from ._lce import HealthLevel  # noqa: E402
from ._lce import op as _op  # noqa: E402
from ._lce import run as _run  # noqa: E402
from ._lce import study as _study  # noqa: E402

Amount = Union[Decimal, str]


def op(name: str, **input: Any) -> dict:
    """Runs the op ``name`` of ``lce eval`` on the keyword arguments (its input fields) and
    returns its output, decimals as ``Decimal``. Raises ``lce.Error``."""
    return _op(name, input)


def _input(**fields: Any) -> dict:
    return {k: v for k, v in fields.items() if v is not None}


def health(*, tokens: Sequence[Mapping[str, Any]], account: Sequence[Any],
           perps: Optional[Sequence[Mapping[str, Any]]] = None,
           options: Optional[Sequence[Mapping[str, Any]]] = None) -> Health:
    """The health of ``account`` at each level, whether it is liquidatable, and each
    position's liquidation price (``vectors/README.md`` §8.1).

    ``tokens``: each ``{"price", "init_asset_weight", "maint_asset_weight",
    "init_liab_weight", "maint_liab_weight", ...}``; ``account``: positions
    ``{"token": i, "balance": amount}`` (or ``(i, amount)``), ``{"perp": i, "base", "quote"}``,
    ``{"option": i, "quantity"}``. For many accounts of one market, build ``Market`` once.
    """
    return Market(tokens, perps, options).health(account)


def liquidate(*, tokens: Sequence[Mapping[str, Any]], account: Sequence[Any],
              liquidation: Optional[Mapping[str, Any]] = None,
              close_factor: Optional[Mapping[str, Any]] = None, target: Optional[str] = None,
              waterfall: Optional[Mapping[str, Any]] = None, market: Optional[Mapping[str, Any]] = None,
              perps: Optional[Sequence[Mapping[str, Any]]] = None,
              options: Optional[Sequence[Mapping[str, Any]]] = None) -> dict:
    """One liquidation, sized to restore the ``target`` health (default
    ``"liquidation_end"``), applied to the account, then any bankruptcy down the
    ``waterfall`` (§8.2). ``liquidation`` is ``{"kind": "token", "liability": i,
    "collateral": j[, "max_repay"]}`` or ``{"kind": "perp", "market": i[, "max_base"]}``.
    Returns the op's output: ``repay``, ``seize``, ..., the ``account`` after it, ``bankruptcy``."""
    return _op("liquidate", _input(tokens=tokens, perps=perps, options=options, account=account,
                                   liquidation=liquidation, close_factor=close_factor, target=target,
                                   waterfall=waterfall, market=market))


def plan_liquidation(**kwargs: Any) -> dict:
    """The plan of ``liquidate`` (same arguments) without its effect: the output without
    ``account``, ``bankruptcy`` and ``waterfall``."""
    out = liquidate(**kwargs)
    for key in ("account", "bankruptcy", "waterfall"):
        out.pop(key, None)
    return out


def liquidator_decision(*, opportunity: Mapping[str, Any], profile: Mapping[str, Any],
                        market: Mapping[str, Any], environment: Optional[Mapping[str, Any]] = None) -> dict:
    """The liquidator's dilemma (§8.5): whether and how much to liquidate after slippage, gas
    and execution risk. Returns ``act``, ``reason``, ``repay``, ..., ``profit``."""
    return _op("liquidator_decision", _input(opportunity=opportunity, profile=profile,
                                             environment=environment, market=market))


def _bs(kind: str, spot: Amount, strike: Amount, vol: Amount, t: Amount, rate: Amount,
        yield_: Optional[Amount], round: Optional[str]) -> dict:
    return _input(kind=kind, spot=spot, strike=strike, vol=vol, t=t, rate=rate, round=round,
                  **({"yield": yield_} if yield_ is not None else {}))


def bs_price(*, kind: str, spot: Amount, strike: Amount, vol: Amount, t: Amount, rate: Amount,
             yield_: Optional[Amount] = None, round: Optional[str] = None) -> Decimal:
    """The Black-Scholes-Merton price of a European ``"call"`` or ``"put"``, correctly
    rounded (``round``: ``"floor"``, the default, or ``"ceil"``); ``t`` in years."""
    return _op("bs_price", _bs(kind, spot, strike, vol, t, rate, yield_, round))["price"]


def bs_greeks(*, kind: str, spot: Amount, strike: Amount, vol: Amount, t: Amount, rate: Amount,
              yield_: Optional[Amount] = None, round: Optional[str] = None) -> dict:
    """The Black-Scholes-Merton greeks ``delta``, ``gamma``, ``vega`` (per unit vol),
    ``theta`` (per year), ``rho`` (per unit rate), each correctly rounded."""
    return _op("bs_greeks", _bs(kind, spot, strike, vol, t, rate, yield_, round))


def implied_vol(*, kind: str, price: Amount, spot: Amount, strike: Amount, t: Amount, rate: Amount,
                yield_: Optional[Amount] = None) -> Decimal:
    """The implied volatility of an option's price, rounded down."""
    return _op("implied_vol", _input(kind=kind, price=price, spot=spot, strike=strike, t=t, rate=rate,
                                     **({"yield": yield_} if yield_ is not None else {})))["vol"]


def dynamic_margin(*, params: Mapping[str, Any], sigma: Amount, skew: Optional[Amount] = None,
                   governor: Optional[Mapping[str, Any]] = None,
                   size: Optional[Mapping[str, Any]] = None) -> dict:
    """Volatility- and skew-adjusted maintenance margin, with anti-procyclicality and size
    tiers (``vectors/margin/README.md``)."""
    return _op("dynamic_margin", _input(params=params, sigma=sigma, skew=skew, governor=governor, size=size))


def option_margin(*, method: str, kind: str, strike: Amount, t: Amount, size: Amount, spot: Amount,
                  vol: Amount, rate: Amount, mark: Optional[Amount] = None, yield_: Optional[Amount] = None,
                  params: Optional[Mapping[str, Any]] = None) -> dict:
    """The margin of a short option: Deribit's ``"standard"`` formula or a SPAN-style
    ``"grid"`` of 16 scenarios (``vectors/options/margin.md``)."""
    return _op("option_margin", _input(method=method, kind=kind, strike=strike, t=t, size=size, mark=mark,
                                       spot=spot, vol=vol, rate=rate, params=params,
                                       **({"yield": yield_} if yield_ is not None else {})))


def ewma_vol(*, prices: Sequence[Amount], periods_per_year: Amount, lambda_: Optional[Amount] = None,
             seed_variance: Optional[Amount] = None) -> dict:
    """RiskMetrics EWMA volatility of a price history."""
    return _op("ewma_vol", _input(prices=list(prices), periods_per_year=periods_per_year,
                                  seed_variance=seed_variance,
                                  **({"lambda": lambda_} if lambda_ is not None else {})))


def market_sell(*, market: Mapping[str, Any], qty: Amount, side: Optional[str] = None,
                stress: Optional[Mapping[str, Any]] = None) -> dict:
    """One trade into a depth model (constant product, order book, linear, square root)."""
    return _op("market_sell", _input(market=market, qty=qty, side=side, stress=stress))


def eval(cases: Iterable[Mapping[str, Any]]) -> list:  # noqa: A001 - the protocol's name
    """Answers each case (``{"op", "input", ...}``) in order, as ``lce eval`` does, and returns
    the answers exactly as it writes them (``output`` or ``error``, numbers as strings). The
    cases are one stream: a ``define`` names a token set for the cases after it."""
    return Session().eval(cases)


def run(scenario: Union[None, str, "os.PathLike[str]", Mapping[str, Any]] = None) -> dict:
    """Plays a cascade scenario (a dict, a path to its JSON file, or ``None`` for the bundled
    default) and returns the report of ``lce run --json`` as plain dicts."""
    return _run(scenario)


def study(study: Union[str, "os.PathLike[str]", Mapping[str, Any]], *,
          base: Union[None, str, "os.PathLike[str]"] = None, threads: Optional[int] = None) -> dict:
    """Runs a study (a dict, or a path to its JSON file; ``vectors/studies/README.md``):
    Monte Carlo paths, sweeps, variants, a solve. Returns the outcome of ``lce study --json``
    as plain dicts (decimals as exact strings): ``study``, ``cells`` (each with ``point``,
    ``variant``, ``paths``, ``metrics``: every statistic of every metric, ``stops``,
    ``difference``), ``solve``, ``paths``, ``interrupted``. A scenario given by file name is
    read relative to the study file, or for a dict to ``base`` (default: the current
    directory). ``threads``: default one per core; the outcome is the same for any number.
    Raises ``lce.Error`` with ``kind``, ``what`` (the place in the study: ``vary[0].field``),
    ``why`` and ``field`` (the scenario field concerned)."""
    return _study(study, base=base, threads=threads)


def to_pandas(report: Mapping[str, Any], table: str = "blocks"):
    """A pandas DataFrame of one table of a ``run`` report (``"blocks"``: one row per block;
    ``"venues"``; ``"liquidators"``) or of a ``study`` outcome (``"cells"``: one row per cell,
    ``metrics.insolvency.es99`` and so on). Nested objects are flattened to ``a.b`` columns, a
    list of objects to ``a.0.b``; decimal strings become ``Decimal``. pandas must be installed
    (it is not a dependency of lce)."""
    import pandas  # noqa: PLC0415 - optional

    rows = [_flatten(r) for r in report[table]]
    return pandas.DataFrame(rows)


def _flatten(row: Mapping[str, Any], prefix: str = "") -> dict:
    out = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for i, item in enumerate(value):
                out.update(_flatten(item, f"{name}.{i}."))
        elif isinstance(value, str) and _is_decimal(value):
            out[name] = Decimal(value)
        else:
            out[name] = value
    return out


def _is_decimal(s: str) -> bool:
    body = s[1:] if s.startswith("-") else s
    whole, _, frac = body.partition(".")
    return whole.isdigit() and (frac.isdigit() or (not frac and "." not in body)) and whole.isascii()


import os  # noqa: E402  (for the annotation above)
