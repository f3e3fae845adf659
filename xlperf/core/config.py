"""Scoring settings that vary by locality; frameworks (``data/frameworks/*.toml``) fill them in."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

D = Decimal

DEFAULT_GRADE_BANDS: tuple[tuple[Decimal, str], ...] = ((D(90), "优"), (D(80), "良"), (D(60), "中"), (D(0), "差"))

# Level-1 names seen for each role of the evaluation framework.
DEFAULT_LEVEL1_ROLES: dict[str, tuple[str, ...]] = {
    "决策": ("决策", "项目决策"),
    "过程": ("过程", "项目过程", "项目管理", "管理"),
    "产出": ("产出", "项目产出", "产出指标"),
    "效益": ("效益", "项目效益", "效益指标"),
    "满意度": ("满意度", "满意度指标"),
    "预算执行率": ("预算执行率", "预算执行"),
}

# Rates computed from the budget block: indicator name → (numerator, denominator) budget fields.
# "execution_base" stands for the framework's denominator of the execution rate.
DEFAULT_BUDGET_RATES: dict[str, tuple[str, str]] = {
    "预算执行率": ("spent", "execution_base"),
    "资金到位率": ("received", "annual"),
}


@dataclass(frozen=True)
class SplitRule:
    """A fixed sum of level-1 weights, e.g. 决策 + 过程 = 40."""

    roles: tuple[str, ...]
    total: Decimal

    def label(self) -> str:
        return "+".join(self.roles) + f"={self.total.normalize():f}"


def parse_split_rule(text: str) -> SplitRule:
    """Parse ``"决策+过程=40"``. Raises ValueError on anything else."""
    left, sep, right = text.replace(" ", "").partition("=")
    roles = tuple(part for part in left.split("+") if part)
    try:
        total = D(right)
    except ArithmeticError:  # decimal.InvalidOperation
        total = D("NaN")
    if not sep or not roles or not total.is_finite() or total < 0:
        raise ValueError(f"bad split rule {text!r}; expected e.g. 决策+过程=40")
    return SplitRule(roles, total)


@dataclass(frozen=True)
class ScoringConfig:
    """Everything a locality may configure about scoring and checking."""

    framework: str = "generic"
    grade_bands: tuple[tuple[Decimal, str], ...] = DEFAULT_GRADE_BANDS
    reverse_mode: str = "ratio"  # ratio: weight × target/actual; linear: weight × (1 − excess/target)
    equal_mode: str = "ratio"  # ratio: weight × min/max; all_or_nothing
    interval_bands: tuple[tuple[Decimal, Decimal], ...] = (
        (D("0.95"), D(1)), (D("0.9"), D("0.8")), (D("0.8"), D("0.6")), (D(0), D(0)),
    )
    na_policy: str = "zero"  # zero: 不适用 rows score 0; rescale: 按百分制折算 Σscore / Σapplicable weight × 100
    tolerance: Decimal = D("0.01")  # stated vs rule score: differences above this are findings
    rate_digits: int = 4  # a rate is rounded to 4 decimals (94.20 %) before it is multiplied
    execution_base: str = "received"  # 预算执行率 denominator: received (实际到位) or annual (全年预算数)
    total_weight: Decimal = D(100)
    judgement_roles: tuple[str, ...] = ("决策", "过程")
    level1_roles: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_LEVEL1_ROLES))
    budget_rates: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(DEFAULT_BUDGET_RATES))
    level1_weights: dict[str, Decimal] = field(default_factory=dict)  # role → weight the framework fixes
    split_rules: tuple[SplitRule, ...] = ()  # checked only when set (off by default)
    method_overrides: dict[str, str] = field(default_factory=dict)  # level-3 name → method id
    lower_better_level2: tuple[str, ...] = ("成本",)  # plain-number targets under these level 2s: 反向
    scales_path: str | None = None

    def role_of(self, level1: str) -> str | None:
        """The framework role (决策, 过程 …) a level-1 name plays, or None."""
        name = (level1 or "").replace(" ", "")
        for role, names in self.level1_roles.items():
            if name in names:
                return role
        for role, names in self.level1_roles.items():
            if any(alias in name for alias in names if len(alias) >= 2):
                return role
        return None
