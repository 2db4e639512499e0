"""What a benchmark's figures were measured on, for every script's JSON and for run.py's report.

The load average is part of it: other work shares the machine, and a figure taken beside it says so.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

__all__ = ["machine_info"]


def machine_info() -> dict:
    """Machine, platform, Python, cores, CPU model and memory (from /proc where there is one), load average."""
    info: dict = {"machine": platform.machine(), "platform": platform.platform(), "processor": platform.processor(),
                  "python": platform.python_version(), "cpu_count": os.cpu_count(), "cpu_model": None,
                  "memory_gb": None, "loadavg": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return info
