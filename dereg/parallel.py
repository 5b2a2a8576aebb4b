"""Reading one snapshot of a database in several processes at once, for a command whose work
falls into parts that only read (`dereg check` and `dereg report` on a large database).

The parts are shared between this process, on its own connection, and helper processes, each
with a connection of its own: whoever is free takes the next part, in the order given (the
longest first, so that the last to finish are short). Each part's result is the same whoever
works it out; the caller puts them in its own order.

One snapshot: a read transaction sees the database as the last commit before its first read
left it, and a helper's transaction starts after ours. So this process counts the commits
(PRAGMA data_version, on a third connection that is in no transaction) from before its own
transaction's first read until every helper's has made its first: when none came in between,
every connection reads the same snapshot; when one did, all start again, and after a few tries
this process does all the parts alone. Writers are never held up. A helper that fails, or
dies, leaves its part to this process, which works it out in its own (the same) snapshot.

Helpers are new interpreters (not forks: an SQLite connection must not cross a fork), in a
process group of their own, so Ctrl-C reaches this process alone; it kills and reaps them. A
helper whose parent was killed outright (SIGKILL) ends when it next reads or answers, as its
pipes close: after the part it is at, a few seconds at most on a million cases.
"""

from __future__ import annotations

import importlib
import os
import pickle
import select
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from dereg import i18n

# How often the start of the snapshot is tried again when commits keep coming in between.
SNAPSHOT_TRIES = 5
# How long a helper may take to start and to open the database, in seconds.
START_SECONDS = 30.0
_FIRST_READ = "SELECT count(*) FROM sqlite_master"


def helpers_wanted() -> int:
    """One helper per core beyond this process's, three at most (the parts are few)."""
    if os.name != "posix" or not sys.executable:  # process groups, select() on pipes: POSIX's
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, 3))


def run(
    conn: sqlite3.Connection,
    parts: Sequence[Hashable],
    work: Callable,
    args: tuple = (),
    helpers: int = 0,
    own: Sequence[Hashable] = (),
) -> dict:
    """{part: work(conn, part, *args)} for every part, conn inside a transaction that has not
    read yet (BEGIN, and no more): its snapshot starts here. work is a module's function (a
    helper imports it by name); parts, args and results are pickled to and from helpers. The
    parts in own are this process's alone (one that leaves its result in conn: a temporary
    table), worked out first."""
    started: list[_Helper] = []
    threads: list[threading.Thread] = []
    try:
        started = _start(conn, helpers, work, args) if helpers else []
        if not started:
            conn.execute(_FIRST_READ).fetchone()
        done: dict = {}
        queue, lock, left = iter(parts), threading.Lock(), []

        def claim():
            with lock:
                return next(queue, None)

        threads = [threading.Thread(target=h.serve, args=(claim, done, left), daemon=True) for h in started]
        for thread in threads:
            thread.start()
        for part in own:
            done[part] = work(conn, part, *args)
        while (part := claim()) is not None:
            done[part] = work(conn, part, *args)
        for thread in threads:
            thread.join()
        for part in left:  # a helper failed or died at this part
            done[part] = work(conn, part, *args)
        return done
    finally:  # Ctrl-C too: no helper outlives the command
        for helper in started:
            helper.kill()
        for thread in threads:
            thread.join(timeout=5)
        for helper in started:
            helper.stop()


def _start(conn: sqlite3.Connection, count: int, work: Callable, args: tuple) -> list[_Helper]:
    """Helpers whose transactions read conn's snapshot, conn's begun too; none if that fails."""
    path = next((file for _seq, name, file in conn.execute("PRAGMA database_list") if name == "main"), "")
    if not path:  # in memory: no other process can read it
        return []
    started: list[_Helper] = []
    shared = False
    try:
        for _n in range(count):
            started.append(_Helper(path, work, args))
        for helper in started:
            helper.expect("opened", START_SECONDS)
        watch = sqlite3.connect(path, isolation_level=None)
        try:
            for _try in range(SNAPSHOT_TRIES):
                before = _data_version(watch)
                conn.execute(_FIRST_READ).fetchone()  # our snapshot starts here
                for helper in started:
                    helper.send(("begin",))
                for helper in started:
                    helper.expect("begun", START_SECONDS)
                shared = _data_version(watch) == before  # no commit in between: one snapshot
                if shared:
                    return started
                conn.execute("ROLLBACK")
                conn.execute("BEGIN")
                for helper in started:
                    helper.send(("again",))
        finally:
            watch.close()
    except Exception:  # none could start, open or begin: this process does every part
        pass
    finally:  # also on Ctrl-C: no helper is left running
        if not shared:
            for helper in started:
                helper.stop()
    return []


def _data_version(conn: sqlite3.Connection) -> int:
    """A number that changes when another connection commits (read outside any transaction)."""
    return conn.execute("PRAGMA data_version").fetchone()[0]


class _HelperFailed(Exception):
    pass


class _Helper:
    """A helper process, spoken to in pickled messages over its standard input and output."""

    def __init__(self, path: str, work: Callable, args: tuple):
        package = str(Path(__file__).resolve().parent.parent)  # where `dereg` is imported from
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, (package, os.environ.get("PYTHONPATH")))),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from dereg.parallel import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            process_group=0,  # Ctrl-C at a terminal is for us: we stop the helper
        )
        self.send(("open", path, i18n.current(), (work.__module__, work.__qualname__), args))

    def send(self, message: tuple) -> None:
        pickle.dump(message, self.process.stdin)
        self.process.stdin.flush()

    def expect(self, word: str, timeout: float | None = None) -> tuple:
        if timeout is not None and not select.select([self.process.stdout], [], [], timeout)[0]:
            raise _HelperFailed(f"no {word} in {timeout} s")
        message = pickle.load(self.process.stdout)
        if message[0] != word:
            raise _HelperFailed(repr(message))
        return message

    def serve(self, claim: Callable, done: dict, left: list) -> None:
        """Give the helper parts until none is left (a thread of its own runs this)."""
        while (part := claim()) is not None:
            try:
                self.send(("part", part))
                done[part] = self.expect("done")[1]
            except Exception:  # failed, died or stopped: whatever it was, this process does the part
                left.append(part)
                return

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass

    def stop(self) -> None:
        """End the helper and wait for it: no process outlives the command."""
        self.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


def serve() -> None:
    """A helper's life: open the database (to read only), begin and end transactions, work
    out parts; until its standard input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us; no traceback on Ctrl-C
    incoming = sys.stdin.buffer
    outgoing = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the answers' own: nothing else
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a print() goes where stderr goes (nowhere)

    def answer(*message) -> None:
        pickle.dump(message, outgoing)
        outgoing.flush()

    try:
        _open, path, language, (module, name), args = pickle.load(incoming)
        i18n.use(language)
        work = getattr(importlib.import_module(module), name)
        from dereg.db import busy_timeout

        # Not mode=ro: SQLite's integrity_check skips CHECK constraints on a read-only connection.
        conn = sqlite3.connect(path, timeout=busy_timeout(), isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        answer("opened")
        while True:
            message = pickle.load(incoming)
            if message[0] == "begin":
                conn.execute("BEGIN")
                conn.execute(_FIRST_READ).fetchone()
                answer("begun")
            elif message[0] == "again":
                conn.execute("ROLLBACK")
            elif message[0] == "part":
                answer("done", work(conn, message[1], *args))
    except (EOFError, BrokenPipeError):
        return  # the parent is done, or gone
    except Exception as exc:  # told to the parent, which does the part itself
        try:
            answer("failed", repr(exc))
        except OSError:
            pass
