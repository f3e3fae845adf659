"""What the command line says to a clerk, in Chinese and English, and the error that carries it.

A :class:`UserError` is a usage or environment problem (a bad option, an output folder that cannot be
written, a run already using it): the CLI prints its one line in the chosen language and exits 2,
never with a traceback. Finding texts live in ``findings/codes.py``; this catalogue holds the rest.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # usage
    "path-missing": ("路径不存在：{paths}", "No such path: {paths}"),
    "bad-option": ("选项 {option} 的值「{value}」无效：{reason}", "Invalid value {value!r} for {option}: {reason}"),
    "reason-positive": ("应为正数（0 表示不限）", "must be a positive number (0 for no limit)"),
    "reason-non-negative": ("应为不小于 0 的整数", "must be a whole number of at least 0"),
    "reason-split": ("应写成如 决策+过程=40", "write it like '决策+过程=40' (level-1 names as the table writes them)"),
    "reason-grades": ("应写成如 优:90,良:80,中:60,差:0", "write it like '优:90,良:80,中:60,差:0' (grades as the table "
                                                        "writes them)"),
    "reason-framework": ("没有这个评分框架", "no such framework"),
    "write-back-no-formulas": ("--write-back 需要公式重算，不能与 --no-formulas 同用",
                               "--write-back needs formula recomputation; it cannot be combined with --no-formulas"),
    "score-folder": ("{path} 是文件夹：xlperf score 复算一个工作簿；校验整个文件夹请用 xlperf check {path}",
                     "{path} is a folder: xlperf score scores one workbook; to check a folder use xlperf check {path}"),
    "no-inputs": ("输入中没有任何文件：{paths}", "The input holds no files: {paths}"),
    "no-workbooks": ("输入中没有工作簿或表格文件：{count} 个文件都不是表格（例如 {example}）",
                     "The input holds no workbooks or spreadsheets: none of its {count} files is one (e.g. {example})"),
    "dask-missing": ("--executor dask 需要安装 dask[distributed]：pip install 'xlperf[dask]'",
                     "--executor dask needs dask[distributed]: pip install 'xlperf[dask]'"),
    # the output folder
    "out-is-file": ("输出位置 {out} 是一个文件，不是文件夹；请用 --out 指定文件夹", "The output {out} is a file, not a folder; "
                    "give a folder with --out"),
    "out-in-input": ("输出文件夹 {out} 位于输入 {input} 之内，且已有别的文件：输出会混入回收文件；请用 --out 指定新的文件夹",
                     "The output folder {out} lies inside the input {input} and holds other files, where outputs would "
                     "mix with the returns; give a new folder with --out"),
    "out-foreign": ("输出文件夹 {out} 中已有 {names}，但不是 xlperf 的输出：为免覆盖，请用 --out 指定别的文件夹",
                    "The output folder {out} already holds {names}, which xlperf did not write; to overwrite nothing, "
                    "give another folder with --out"),
    "input-in-out": ("输入 {input} 位于输出文件夹 {out} 之内，可能被输出覆盖；请用 --out 指定别的文件夹",
                     "The input {input} lies inside the output folder {out}, where outputs could overwrite it; "
                     "give another folder with --out"),
    "out-unwritable": ("无法写入输出文件夹 {out}：{reason}", "Cannot write to the output folder {out}: {reason}"),
    "out-locked": ("另一个 xlperf check（进程 {pid}）正在使用输出文件夹 {out}；请等它结束，或用 --out 指定别的文件夹",
                   "Another xlperf check (process {pid}) is using the output folder {out}; wait for it to finish or "
                   "give another folder with --out"),
    "disk-error": ("写入 {path} 失败：{reason}。已写好的输出保持不变；腾出空间或修正权限后加 --resume 继续",
                   "Writing {path} failed: {reason}. Existing outputs are unchanged; free space or fix the permissions, "
                   "then continue with --resume"),
    "store-failed": ("{error}（校验结果已写入 {out}）", "{error} (the check's results are in {out})"),
    # resume
    "resume-changed": ("--resume 的选项与上次运行不同（{options}）；请使用与上次相同的选项，或去掉 --resume 重新开始",
                       "--resume with other options than the interrupted run ({options}); use the same options, or "
                       "start again without --resume"),
    "resume-unknown": ("{state} 不是本版本 xlperf 写的进度文件，无法继续；请去掉 --resume 重新开始",
                       "{state} was not written by this version of xlperf and cannot be resumed; start again without "
                       "--resume"),
    # the end of a run
    "interrupted": ("已中断：已完成的文件记在 {state}；用同样的命令加 --resume 继续：{command}",
                    "Interrupted: the files done are recorded in {state}; continue with the same command plus --resume: "
                    "{command}"),
    "summary": ("共 {files} 个文件：通过 {passed}（其中有警告 {warnings}），有错误 {errors}，未能校验 {failed}，"
                "其他文件（未检查）{skipped}；问题：错误 {error}，警告 {warning}，提示 {info}。汇总：{summary}",
                "{files} files: {passed} passed ({warnings} with warnings), {errors} with errors, {failed} could not be "
                "checked, {skipped} other files (not checked); findings: {error} errors, {warning} warnings, "
                "{info} info. Summary: {summary}"),
    "dask-restart": ("警告：{file} 超时，但 Dask 工作进程 {worker} 无法重启（{reason}），其检查仍在后台运行",
                     "Warning: {file} timed out, but Dask worker {worker} could not be restarted ({reason}); its check "
                     "goes on in the background"),
    "rate": ("{rate:.1f} 个/秒", "{rate:.1f} files/s"),
}


OS_REASONS = {"ENOSPC": "磁盘空间不足", "EDQUOT": "超出磁盘配额", "EACCES": "没有权限", "EPERM": "不允许的操作",
              "EROFS": "只读文件系统", "ENOTDIR": "路径中有一段是文件而不是文件夹", "ENOENT": "文件或文件夹不存在",
              "EEXIST": "已存在", "EISDIR": "是文件夹", "EIO": "输入输出错误", "ENAMETOOLONG": "文件名太长"}


def os_reason(exc: OSError, lang: str = "zh") -> str:
    """Why an operating-system call failed, in the user's language (strerror is English)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    if lang != "en" and name in OS_REASONS:
        return OS_REASONS[name]
    return exc.strerror or type(exc).__name__


def text(key: str, lang: str = "zh", **params: Any) -> str:
    """The message ``key`` in ``lang`` with its parameters filled in."""
    zh, en = MESSAGES[key]
    return (en if lang == "en" else zh).format(**params)


class UserError(Exception):
    """A usage or environment error: one line in the user's language, exit status 2."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key, self.params = key, params

    def message(self, lang: str = "zh") -> str:
        params = {k: self._param(k, v, lang) for k, v in self.params.items()}
        return text(self.key, lang, **params)

    @staticmethod
    def _param(key: str, value: Any, lang: str) -> Any:
        if isinstance(value, OSError):
            return os_reason(value, lang)
        if key == "reason" and isinstance(value, str) and value in MESSAGES:
            return text(value, lang)
        return value

    def __str__(self) -> str:
        return self.message("zh")
