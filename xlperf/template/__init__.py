"""Excel templates (评分表 + 基本信息) built from frameworks, their structure fingerprint and the ``template`` command."""
