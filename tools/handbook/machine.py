"""What a page of measured figures says about the machine that measured them."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path


def machine() -> str:
    """Describe the machine: processor model, cores, memory, Python."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text(encoding="utf-8"))
        model = found[1].strip() if found else model
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        found = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text(encoding="utf-8"))
        memory = f", {int(found[1]) / 1024 / 1024:.0f} GiB" if found else ""
    return f"{model}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}"
