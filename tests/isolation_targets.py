"""Functions for the isolation tests: picklable, importable by worker processes."""

import os
import time


def square(x):
    return x * x


def misbehave(x):
    """0-9 square; 'hang' sleeps; 'die' kills its own process; 'boom' raises; 'interrupt' is
    Ctrl-C; 'hog' allocates."""
    if x == "hang":
        time.sleep(60)
    if str(x).startswith("hang-after:"):  # says it has begun (the file named), then hangs
        open(x[11:], "w").close()
        time.sleep(60)
    if x == "die":
        os._exit(9)
    if x == "boom":
        raise ValueError("bad input")
    if x == "interrupt":  # Ctrl-C, which the terminal sends every process of the command
        raise KeyboardInterrupt
    if x == "hog":
        blocks = []
        while True:
            blocks.append(bytearray(50 * 1024 * 1024))
    return x * x


def pid(_x):
    """The process that ran the item."""
    return os.getpid()


def ahead(x):
    """The first step of ``finish``, made ahead: misbehaves as ``misbehave`` does; 'slow' takes
    0.2 s; 'stuck-ahead' hangs here only (its full read in ``finish`` is quick); 'gate:<path>'
    waits here until that file is made."""
    if x == "stuck-ahead":
        time.sleep(60)
    if str(x).startswith("gate:"):  # waits until the test makes the file named after it
        waited = time.monotonic()
        while not os.path.exists(x[5:]) and time.monotonic() - waited < 20:
            time.sleep(0.01)
        return ("ahead", x)
    if x == "slow":
        time.sleep(0.2)
        return ("ahead", x)
    misbehave(x)
    return ("ahead", x)


def finish(x, prepared=None):
    """x squared ('slow' and 'stuck-ahead' as they are, a gate as 'gate'), and whether its first step was made
    ahead."""
    if str(x).startswith("gate:"):
        return ("gate", prepared == ("ahead", x))
    value = x if x in ("slow", "stuck-ahead") else misbehave(x)
    return (value, prepared == ("ahead", x))


def collector(_x):
    """Whether the cyclic garbage collector runs in the process that ran the item, with what
    that process inherited (it is forked) frozen out of its collections, and its youngest
    generation collected every worker.YOUNG objects."""
    import gc

    from perfreport.xlsx.worker import YOUNG

    return gc.isenabled() and gc.get_freeze_count() > 0 and gc.get_threshold()[0] == YOUNG


def payload_length(item):
    """(n, a PickledOnce text): n + the text's length, as a worker finds the text."""
    from perfreport.xlsx.worker import unwrapped

    number, shared = item
    return number + len(unwrapped(shared))


def niceness(_x, _prepared=None):
    """The niceness of the process that finished the item (Unix)."""
    return os.nice(0)


def pause(x, _prepared=None):
    """x, after 0.2 s (the work of a worker while others wait)."""
    time.sleep(0.2)
    return x
