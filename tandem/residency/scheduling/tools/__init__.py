"""Tooling around the rotation solver, outside the library proper: the command line (``cli``),
the benchmarks (``bench``, ``families``), the CBC/greedy baselines they compare against
(``baselines``; PuLP, a test dependency, is imported only there) and the instance generator
(``generate``). The Django layer never imports from here."""
