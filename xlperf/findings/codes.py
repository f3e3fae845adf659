"""The catalogue of finding codes. Codes are kebab-case and never renamed; texts are per language.

Templates are ``str.format`` strings over a finding's ``params`` plus ``expected`` and ``found``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    """One kind of finding: severity, category (for --select/--ignore), and zh/en texts."""

    code: str
    severity: Severity
    category: str
    zh: str
    en: str


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_CODES = [
    # --- files (batch) ---
    Code("file-not-found", E, "file", "文件不存在。", "File does not exist."),
    Code("file-not-workbook", E, "file", "不是 Excel 工作簿（{detail}），请另存为 .xlsx 后重新提交。",
         "Not an Excel workbook ({detail}); save it as .xlsx and resubmit."),
    Code("file-legacy-xls", E, "file", "旧版 {format} 文件未能校验：{reason}。请在 Excel 或 WPS 中另存为 .xlsx 后重新提交。",
         "Legacy {format} file could not be checked: {reason_en}. Save it as .xlsx in Excel or WPS and resubmit."),
    Code("file-converted", I, "file", "本文件为 {format} 格式，已由 LibreOffice 临时转换为 .xlsx 后校验（单元格地址不变，原文件未改动）。",
         "This {format} file was checked on a temporary .xlsx copy made by LibreOffice (same cell addresses; "
         "the original is unchanged)."),
    Code("formulas-not-checked", I, "file", "本文件为 {format} 格式，{reason}，已用 python-calamine 读取文件保存的数值评分，公式未校验。",
         "This {format} file was scored from the values it holds, read with python-calamine ({reason_en}); "
         "its formulas were not checked."),
    Code("file-encrypted", E, "file", "文件设有打开密码，无法读取，请取消密码后重新提交。",
         "The file is password-protected; remove the password and resubmit."),
    Code("file-corrupt", E, "file", "文件已损坏，无法作为 .xlsx 打开（{detail}）。",
         "The file is corrupt and cannot be opened as .xlsx ({detail})."),
    Code("file-too-large", E, "file", "文件解压后大小 {found} 超过上限 {expected}，为防止压缩炸弹未予读取。",
         "Uncompressed size {found} exceeds the limit {expected}; not read (zip-bomb guard)."),
    Code("file-too-many-parts", E, "file", "压缩包内有 {found} 个部件，超过上限 {expected} 个，疑似压缩炸弹，未予读取。",
         "The package holds {found} parts, more than the limit of {expected}; looks like a zip bomb, not read."),
    Code("file-compression-ratio", E, "file", "部件 {part} 的压缩比 {found}:1 超过上限 {expected}:1，疑似压缩炸弹，未予读取。",
         "Part {part} is compressed {found}:1, above the limit of {expected}:1; looks like a zip bomb, not read."),
    Code("file-timeout", E, "file", "读取或校验超过 {expected} 秒未完成，已中止该文件。",
         "Reading or checking took longer than {expected} s; this file was abandoned."),
    Code("file-failed", E, "file", "校验该文件时出错：{detail}。其他文件不受影响。",
         "Checking this file failed: {detail}. Other files are unaffected."),
    Code("file-unsupported", W, "file", "不是 .xlsx/.xlsm 文件，已跳过。", "Not an .xlsx/.xlsm file; skipped."),
    Code("file-xlperf-output", I, "file", "这是 xlperf 之前一次运行的输出，不是回收文件，未校验。",
         "Output of an earlier xlperf run, not a return; not checked."),
    Code("file-format-unsupported", E, "file", "{format} 格式的表格无法校验，请在 Excel 或 WPS 中另存为 .xlsx 后重新提交。",
         "Spreadsheets in {format} format cannot be checked; save it as .xlsx in Excel or WPS and resubmit."),
    Code("file-link-broken", E, "file", "符号链接“{target}”无法打开（{detail}），文件未校验。",
         "The symbolic link to {target!r} cannot be opened ({detail}); the file was not checked."),
    Code("file-memory", E, "file", "校验该文件所需内存超过每个工作进程的上限 {expected}，已中止该文件（文件异常庞大或经过构造）。",
         "Checking this file needed more memory than the per-worker limit of {expected}; it was abandoned "
         "(an unusually large or crafted file)."),
    Code("file-too-many-cells", E, "file", "工作表「{sheet}」有 {found} 个单元格，超过上限 {expected} 个，未予读取。",
         "Sheet {sheet!r} holds {found} cells, more than the limit of {expected}; not read."),
    Code("table-not-found", E, "structure",
         "未找到指标表：需要一行同时含“三级指标（或指标名称）”“分值”“得分”等表头。",
         "No indicator table found: a header row with 三级指标 (or 指标名称), 分值 and 得分 is required."),
    # --- cells ---
    Code("weight-invalid", E, "cell", "分值「{found}」不是有效数字，请填写非负数字。",
         "Weight {found!r} is not a valid number; enter a non-negative number."),
    Code("number-as-text", W, "cell", "{field}「{found}」以文本形式存储，请改为数字格式。",
         "{field} {found!r} is stored as text; store it as a number."),
    Code("score-missing", E, "score", "得分为空，请填写得分。", "The score is empty; enter a score."),
    Code("score-invalid", E, "score", "得分「{found}」不是有效数字。", "Score {found!r} is not a valid number."),
    Code("score-above-weight", E, "score", "得分 {found} 超过分值 {expected}，得分不能高于分值。",
         "Score {found} exceeds the weight {expected}; a score cannot exceed its weight."),
    Code("score-negative", E, "score", "得分 {found} 为负数，得分应在 0 与分值 {expected} 之间。",
         "Score {found} is negative; it must lie between 0 and the weight {expected}."),
    Code("score-rule-mismatch", E, "score",
         "得分 {found} 与按「{method}」规则计算的 {expected} 不符（{explain}），请核对得分。",
         "Score {found} differs from {expected} given by the {method} rule ({explain}); check the score."),
    Code("target-met-deducted", W, "note",
         "实际完成值「{actual}」已达到指标值「{target}」，但得分 {found} 低于分值 {expected}，且无扣分说明。",
         "Actual {actual!r} meets the target {target!r} yet the score {found} is below the weight {expected}, with no deduction note."),
    Code("note-missing", W, "note", "得分 {found} 低于分值 {expected}，但未填写扣分说明，请说明扣分原因。",
         "Score {found} is below the weight {expected} but no deduction note is given; explain the deduction."),
    Code("tier-mismatch", W, "score",
         "实际完成值「{actual}」（指标值「{target}」）对应的得分区间为 {low}–{high}，得分 {found} 不在其中。",
         "Actual {actual!r} against target {target!r} implies a score in {low}–{high}; {found} is outside it."),
    Code("target-unparsed", W, "parse", "无法识别指标值「{found}」，该行改按评价人评分处理，请写成如“≥20场次”“100%”。",
         "Cannot read the target {found!r}; the row is treated as a judgement. Write it like ≥20场次 or 100%."),
    Code("actual-unparsed", W, "parse", "无法识别实际完成值「{found}」（指标值「{target}」），无法按规则计分。",
         "Cannot read the actual {found!r} (target {target!r}); the rule cannot be applied."),
    Code("actual-missing", W, "parse", "实际完成值为空，无法按规则计分。", "The actual value is empty; the rule cannot be applied."),
    Code("unit-mismatch", W, "parse", "指标值「{target}」与实际完成值「{actual}」的单位不一致，未按规则计分，请统一单位。",
         "Target {target!r} and actual {actual!r} use different units; not scored by rule. Use one unit."),
    Code("percent-doubtful", W, "parse",
         "实际完成值 {found} 是数字，按百分比指标值「{target}」读作 {percent}，数值可疑；若指 {found}% 请填写“{found}%”。",
         "The actual {found} is a plain number read against the percent target {target!r} as {percent}; if you mean {found}%, write {found}%."),
    Code("actual-is-threshold", W, "parse",
         "实际完成值「{found}」写成了指标值的样子（带比较符号），应填写实际达到的数值（指标值「{target}」）；该行未按规则计分。",
         "The actual {found!r} is written like a target (with a comparator); enter the value actually reached (target "
         "{target!r}). The row was not scored by rule."),
    Code("method-unknown", W, "parse", "评分方法「{found}」无法识别，已按指标值推断为「{expected}」。",
         "Unknown scoring method {found!r}; inferred {expected!r} from the target."),
    Code("rate-budget-mismatch", E, "budget",
         "填报的{name} {found} 与预算数据计算结果 {expected}（{formula}）不符。",
         "The stated {name} {found} contradicts the budget figures, which give {expected} ({formula})."),
    Code("na-weighted", W, "structure", "不适用的指标仍占分值 {found}，请将分值改为 0 或按百分制折算。",
         "A not-applicable row still carries weight {found}; set it to 0 or rescale to 100."),
    Code("score-formula-unrecognised", I, "score",
         "得分公式 {formula} 不属于 xlperf 认识的计分规则（正向、反向、比率×分值、封顶、IF 分档），已按公式结果计分。",
         "The score formula {formula} matches none of xlperf's rules (proportional, reverse, rate × weight, capped, "
         "IF tiers); the row is scored as the formula computes."),
    # --- table ---
    Code("form-unscored", E, "score", "表中所有指标均未填写得分，未评定总分和等级；请逐项评分后重新提交。",
         "No indicator in the table has a score, so no total or grade was given; score every row and resubmit."),
    Code("weight-label-mismatch", E, "structure", "「{label}」标明 {expected} 分，其下各指标分值合计 {found} 分。",
         "{label!r} states {expected} points, but the weights of its rows add up to {found}."),
    Code("weights-sum", E, "structure", "三级指标分值合计 {found}，应为 {expected}。",
         "The weights of the scored rows add up to {found}, not {expected}."),
    Code("level-weight", W, "structure", "一级指标「{level}」分值合计 {found}，框架规定为 {expected}。",
         "Level-1 {level!r} has weight {found}; the framework fixes {expected}."),
    Code("level-split", W, "structure", "{roles} 分值合计 {found}，框架规定为 {expected}。",
         "{roles} weigh {found} together; the framework fixes {expected}."),
    Code("total-mismatch", E, "total", "表中总分 {found} 与各指标得分之和 {expected} 不符。",
         "The stated total {found} differs from the sum of the row scores {expected}."),
    Code("subtotal-mismatch", E, "total", "「{level}」小计 {found} 与其下各指标得分之和 {expected} 不符。",
         "The subtotal of {level!r} is {found}, but its rows add up to {expected}."),
    Code("grade-mismatch", E, "total", "评价等级「{found}」与总分 {total} 对应的等级「{expected}」不符。",
         "Grade {found!r} does not match {expected!r}, the grade of the total {total}."),
    Code("notes-column-missing", I, "note", "表格没有扣分说明列，未核对扣分说明。",
         "The table has no deduction-note column; deduction notes were not checked."),
    # --- formulas ---
    Code("formula-missing", E, "formula", "公式被改为固定值 {found}，模板此处的公式为 {expected}，请恢复公式。",
         "The formula was replaced by the constant {found}; the template has {expected} here. Restore the formula."),
    Code("formula-inconsistent", W, "formula", "公式 {found} 与同列相邻单元格的公式 {expected} 不一致，请核对。",
         "The formula {found} does not match its neighbours in the column, which give {expected} here; check it."),
    Code("formula-too-long", E, "formula", "公式长 {found} 个字符，超过 Excel 的上限 {expected} 个，不是 Excel 能保存的公式；未重算。",
         "The formula is {found} characters long, beyond Excel's limit of {expected}: Excel cannot have saved it; "
         "not recomputed."),
    Code("formulas-not-recomputed", W, "formula", "本文件的公式未重算：{detail}。其他检查照常进行。",
         "This file's formulas were not recomputed: {detail}. The other checks ran as usual."),
    Code("formula-circular", E, "formula", "循环引用：{cells} 的公式直接或经由彼此引用自身，无法计算，保存的值未能核对。",
         "Circular reference: the formulas of {cells} refer to themselves, directly or through each other; they "
         "cannot be calculated and their saved values were not verified."),
    Code("formula-error", W, "formula", "公式 {formula} 的计算结果为错误值 {found}，请检查其引用的单元格。",
         "The formula {formula} evaluates to the error {found}; check the cells it refers to."),
    # --- templates and tampering (batch) ---
    Code("template-modified", E, "tamper", "模板受保护的结构已被改动（结构指纹 {found} 与模板 {expected} 不符），详见其他问题。",
         "The template's protected structure was changed (fingerprint {found}, template {expected}); see the other findings."),
    Code("template-unknown", I, "tamper", "文件标记为 xlperf 模板「{found}」，但本版本不认识该框架或模板版本，已按普通表格校验（同批结构相同的文件相互比对）。",
         "The file says it is xlperf template {found!r}, which this version does not know; checked as a plain table "
         "(compared with the batch's files of the same structure)."),
    Code("weight-changed", E, "tamper", "分值被改为 {found}，模板规定为 {expected}。",
         "The weight was changed to {found}; the template sets {expected}."),
    Code("target-changed", E, "tamper", "指标值被改为「{found}」，模板规定为「{expected}」。",
         "The target was changed to {found!r}; the template sets {expected!r}."),
    Code("locked-cell-changed", E, "tamper", "受保护单元格被改为「{found}」，模板为「{expected}」。",
         "A protected cell was changed to {found!r}; the template has {expected!r}."),
    Code("formula-changed", E, "tamper", "公式被改为 {found}，模板公式为 {expected}。",
         "The formula was changed to {found}; the template's formula is {expected}."),
    Code("row-deleted", E, "tamper", "模板中的指标「{expected}」所在行被删除。",
         "The template's indicator {expected!r} was deleted."),
    Code("row-inserted", E, "tamper", "插入了模板中没有的指标行「{found}」。",
         "A row {found!r} not in the template was inserted."),
    Code("sheet-missing", E, "tamper", "缺少模板工作表「{expected}」（被删除或改名）。",
         "The template sheet {expected!r} is missing (deleted or renamed)."),
    Code("macro-changed", E, "tamper", "宏代码（vbaProject）与模板不一致：{detail}。",
         "The macros (vbaProject) differ from the template's: {detail}."),
    Code("macro-added", W, "tamper", "文件含有宏代码（vbaProject），模板没有；若是导入的 xlwings 函数可忽略，否则请核实来源。",
         "The file contains macros (vbaProject) the template does not; fine if they are imported xlwings functions, otherwise check where they come from."),
    Code("writeback-value-kept", W, "formula", "重算结果为错误值 {found}，更正副本在此保留文件原值 {expected}，请人工核对。",
         "The recomputation gave the error {found}; the corrected copy keeps the file's value {expected} here. "
         "Check it by hand."),
    # --- bureau templates, templates inferred from the batch, saves by other programs (issue 13) ---
    Code("template-cell-changed", E, "tamper", "单元格被改为「{found}」，模板为「{expected}」。",
         "The cell was changed to {found!r}; the template has {expected!r}."),
    Code("template-unmatched", W, "tamper",
         "与 --template 给出的模板均不匹配（表头、工作表或指标行不同），已按同批文件推断模板校验。",
         "Matches none of the --template files (header, sheets or indicator rows differ); checked against the template inferred from the batch."),
    Code("template-inferred", I, "tamper",
         "未指定模板：按同批 {count} 份结构相同文件的多数内容推断模板（公式、分值、指标名称等），本文件与之不同之处见其他问题。",
         "No template given: the template was inferred from what most of the {count} files of this structure hold (formulas, weights, names); this file's differences are listed."),
    Code("formula-deleted", E, "formula", "公式被删除（单元格为空），模板此处的公式为 {expected}，请恢复公式。",
         "The formula was deleted (the cell is empty); the template has {expected} here. Restore the formula."),
    Code("formula-pattern-break", W, "formula",
         "固定值 {found} 上下相邻单元格均为同一公式 {expected}，是否误将公式改成了数值？请核对。",
         "The constant {found} sits between cells holding the same formula {expected}; was a formula typed over? Check it."),
    Code("text-in-number-cell", E, "cell",
         "「{found}」是文本，但公式 {formula}（{cell}）按数字计算它，结果为 {error}；请填写数字。",
         "{found!r} is text, but the formula {formula} ({cell}) computes with it as a number and gives {error}; enter a number."),
    Code("not-calculated-here", I, "formula",
         "文件由不含 xlperf 函数的程序（如 WPS、LibreOffice）保存（{detail}），相关单元格未在该程序中计算；"
         "已按模板公式和填报内容重新计算校验，这些单元格不作为错误报告。",
         "Saved by a program without xlperf's functions (such as WPS or LibreOffice: {detail}), so those cells were "
         "not calculated there; they were recomputed from the template's formulas and the inputs, not reported as errors."),
    Code("cached-value-mismatch", W, "formula", "单元格保存的值 {found} 与重新计算结果 {expected} 不符（文件未重新计算或被改动）。",
         "The saved value {found} differs from the recomputed {expected} (not recalculated, or altered)."),
    # --- Word reports (xlperf score REPORT.docx): the report against itself ---
    Code("file-docx-unreadable", E, "file", "无法作为 Word 文档（.docx）打开（{detail}）。",
         "Cannot be opened as a Word document (.docx) ({detail})."),
    Code("file-legacy-doc", E, "file", "旧版 Word .doc 格式无法读取，请在 Word 中另存为 .docx 后重新提交。",
         "Legacy Word .doc format cannot be read; save it as .docx in Word and resubmit."),
    Code("report-sentence-mismatch", E, "report",
         "正文“{quote}”与{table}第 {row} 行「{name}」不符：正文为满分/得分 {found}，表中为分值/得分 {expected}。",
         "The text “{quote}” disagrees with {table} row {row} ({name}): the text gives maximum/score {found}, "
         "the table weight/score {expected}."),
    Code("report-sentence-rate-mismatch", E, "report", "正文“{quote}”中得分率 {found} 与 {score} ÷ {weight} = {expected} 不符。",
         "In the text “{quote}” the score rate {found} differs from {score} ÷ {weight} = {expected}."),
    Code("report-deduction-mismatch", E, "report",
         "正文“{quote}”写扣 {found} 分，{table}第 {row} 行「{name}」分值 {weight}、得分 {score}，应扣 {expected} 分。",
         "The text “{quote}” deducts {found}; {table} row {row} ({name}) has weight {weight} and score {score}, "
         "a deduction of {expected}."),
    Code("report-sentence-unmatched", I, "report", "正文“{quote}”所述「{name}」在评分表中没有确定的对应项，未核对。",
         "The text “{quote}” names {name!r}, which has no certain counterpart in the score table; not checked."),
    Code("report-total-mismatch", E, "report", "正文“{quote}”写总得分 {found} 分，{table}各指标得分合计为 {expected} 分。",
         "The text “{quote}” gives a total of {found}; the scores in {table} add up to {expected}."),
    Code("report-grade-mismatch", E, "report", "正文“{quote}”写评级「{found}」，总得分 {total} 分对应的等级为「{expected}」。",
         "The text “{quote}” gives grade {found!r}; a total of {total} is graded {expected!r}."),
    Code("report-level-mismatch", E, "report", "「{level}」的{field}为 {found}，评分表中其下各指标合计为 {expected}。",
         "The {field} of {level!r} is {found}; its rows in the score table add up to {expected}."),
    Code("report-rate-mismatch", E, "report", "得分率 {found} 与 {score} ÷ {weight} = {expected} 不符。",
         "The score rate {found} differs from {score} ÷ {weight} = {expected}."),
    Code("report-row-unmatched", I, "report", "「{name}」在评分表中没有确定的对应项，未核对。",
         "{name!r} has no certain counterpart in the score table; not checked."),
    Code("report-rate-figures-mismatch", E, "report",
         "正文“{quote}”写{name} {found}，但其所列金额 {formula} 得 {expected}。",
         "The text “{quote}” gives {name} as {found}, but its own amounts {formula} give {expected}."),
    Code("report-rate-table-mismatch", E, "report",
         "正文“{quote}”中{name}为 {found}{formula}，{table}第 {row} 行实际完成值为 {expected}，二者不符。",
         "The text “{quote}” gives {name} as {found}{formula}; {table} row {row} states {expected}."),
    Code("report-target-conflict", E, "report",
         "「{name}」的指标值在本表为「{found}」，在{other}第 {other_row} 行为「{expected}」，同一指标前后不一致。",
         "The target of {name!r} is {found!r} here but {expected!r} in {other} row {other_row}."),
]

CATALOGUE: dict[str, Code] = {code.code: code for code in _CODES}


def register(code: Code) -> None:
    """Add a code from another layer (tampering, formulas); a code is never redefined differently."""
    existing = CATALOGUE.get(code.code)
    if existing is not None and existing != code:
        raise ValueError(f"finding code {code.code} is already defined differently")
    CATALOGUE[code.code] = code
