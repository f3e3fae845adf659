"""Excel templates (评分表 + 基本信息) built from frameworks, their structure fingerprint and the shipped set
(``xlperf template`` is ``xlperf.commands.template``)."""
