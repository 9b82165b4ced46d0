#!/usr/bin/env python3
"""The engine canary in SimPy: independent M/M/c service points, checked against Erlang C.

The same model as `jukisim simulate canary` and `Scenarios/canary-mmc.yaml`: `points` service points, each
with `servers` servers, Poisson arrivals at rate lambda = utilization * servers * mu, exponential service
with mean 1/mu = 1 time unit, `customers` customers per point. Every point has its own
`random.Random(seed * 1000 + point)` (drawn in arrival order: inter-arrival time, then that customer's
service time), so a run is deterministic. All points share one SimPy environment (one event queue), as
they share one engine in jukisim.

Only `env.run()` is timed: not Python's start-up, the import of SimPy or building the environment.

    python canary_simpy.py                      # 13 x M/M/4 at rho 0.8, 100,000 customers per point
    python canary_simpy.py --customers 10000 --json
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import sys
import time


def erlang_c(servers: int, offered_load: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C), offered load a = lambda / mu < c."""
    if not 0 < offered_load < servers:
        raise ValueError(f"offered load {offered_load} must be between 0 and the server count {servers}")
    # Erlang B by its stable recursion, then C from B.
    b = 1.0
    for k in range(1, servers + 1):
        b = offered_load * b / (k + offered_load * b)
    return servers * b / (servers - offered_load * (1 - b))


def erlang_c_time_in_system(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in system W = P_wait / (c mu - lambda) + 1 / mu."""
    p_wait = erlang_c(servers, arrival_rate / service_rate)
    return p_wait / (servers * service_rate - arrival_rate) + 1 / service_rate


def run(points: int, servers: int, utilization: float, customers: int, seed: int) -> dict:
    import simpy

    service_rate = 1.0
    arrival_rate = utilization * servers * service_rate
    env = simpy.Environment()
    # Per point: [customers finished, total time in system, total wait].
    stats = [[0, 0.0, 0.0] for _ in range(points)]

    def customer(resource, service: float, tally: list):
        arrived = env.now
        with resource.request() as request:
            yield request
            started = env.now
            yield env.timeout(service)
        tally[0] += 1
        tally[1] += env.now - arrived
        tally[2] += started - arrived

    def source(point: int):
        rng = random.Random(seed * 1000 + point)
        resource = simpy.Resource(env, capacity=servers)
        tally = stats[point]
        expo = rng.expovariate
        timeout = env.timeout
        process = env.process
        for _ in range(customers):
            yield timeout(expo(arrival_rate))
            process(customer(resource, expo(service_rate), tally))

    for point in range(points):
        env.process(source(point))

    start = time.perf_counter()
    env.run()
    wall = time.perf_counter() - start

    finished = sum(s[0] for s in stats)
    if finished != points * customers:
        raise RuntimeError(f"{finished} customers finished, expected {points * customers}")
    mean_time = math.fsum(s[1] for s in stats) / finished
    mean_wait = math.fsum(s[2] for s in stats) / finished
    predicted = erlang_c_time_in_system(servers, arrival_rate, service_rate)
    return {
        "peer": "simpy",
        "points": points,
        "servers": servers,
        "utilization": utilization,
        "customersPerPoint": customers,
        "customers": finished,
        "seed": seed,
        "wallSeconds": wall,
        "customersPerSecond": finished / wall,
        "meanTimeInSystem": mean_time,
        "meanWait": mean_wait,
        "erlangCMeanTimeInSystem": predicted,
        "deviation": mean_time / predicted - 1,
        "simpyVersion": simpy.__version__,
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=13, help="service points (default 13)")
    parser.add_argument("--servers", type=int, default=4, help="servers per point (default 4)")
    parser.add_argument("--utilization", type=float, default=0.8, help="utilisation rho, 0 < rho < 1 (default 0.8)")
    parser.add_argument("--customers", type=int, default=100_000, help="customers per point (default 100,000)")
    parser.add_argument("--seed", type=int, default=1, help="root seed (default 1)")
    parser.add_argument(
        "--tolerance", type=float, default=0.05,
        help="largest accepted relative deviation of the mean time in system from Erlang C (default 0.05)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.points < 1 or args.servers < 1 or args.customers < 1:
        parser.error("--points, --servers and --customers must be at least 1")
    if not 0 < args.utilization < 1:
        parser.error("--utilization must be between 0 and 1 (exclusive)")
    try:
        import simpy  # noqa: F401
    except ImportError:
        print("canary_simpy.py: SimPy is not installed in this Python (Benchmarks/peers/run.sh makes a "
              "virtualenv with it)", file=sys.stderr)
        return 3

    result = run(args.points, args.servers, args.utilization, args.customers, args.seed)
    result["tolerance"] = args.tolerance
    result["withinTolerance"] = abs(result["deviation"]) <= args.tolerance
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"SimPy {result['simpyVersion']} canary: {args.points} x M/M/{args.servers} at rho {args.utilization}, "
              f"{result['customers']:,} customers")
        print(f"  wall            {result['wallSeconds']:.3f} s = {result['customersPerSecond']:,.0f} customers/s")
        print(f"  time in system  {result['meanTimeInSystem']:.4f} (Erlang C {result['erlangCMeanTimeInSystem']:.4f}, "
              f"deviation {result['deviation']:+.2%})")
    if not result["withinTolerance"]:
        print(f"canary_simpy.py: mean time in system deviates {result['deviation']:+.2%} from Erlang C "
              f"(tolerance {args.tolerance:.0%})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
