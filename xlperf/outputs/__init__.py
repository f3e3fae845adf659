"""What a check prints and writes, formatted from results and never computed: the console table and ``--json`` of
``xlperf score``, and a batch's output set (汇总.xlsx, findings.csv, results.json; ``outputset``)."""
