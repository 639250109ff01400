"""Runs many ansible inventory queries in one Python process (ansible startup costs ~1 s).

stdin: a JSON list of jobs, each either
  {"cli": [args...]}                         -> what `ansible-inventory ARGS` prints
  {"inventory": SRC, "patterns": [...], "limit": LIMIT|null}
                                             -> for each pattern, the host names
                                                `ansible -i SRC PATTERN --list-hosts [--limit LIMIT]` lists
stdout: a JSON list of {rc, stdout, stderr, hosts?}.
Both use ansible's own classes (InventoryCLI, InventoryManager.get_hosts); only the
CLI-args singleton is reset between runs.
"""
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout

from ansible.cli.inventory import InventoryCLI
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.utils.context_objects import GlobalCLIArgs


def run_cli(args):
    GlobalCLIArgs._Singleton__instance = None
    out, err = io.StringIO(), io.StringIO()
    rc = 0
    with redirect_stdout(out), redirect_stderr(err):
        try:
            rc = InventoryCLI(['ansible-inventory'] + args).run() or 0
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else 1
        except Exception as e:  # noqa: BLE001 - reported to the test, which fails on it
            rc = 1
            err.write('%s: %s' % (type(e).__name__, e))
    return {'rc': rc, 'stdout': out.getvalue(), 'stderr': err.getvalue()}


def run_patterns(job):
    err = io.StringIO()
    hosts = []
    with redirect_stderr(err), redirect_stdout(err):
        inventory = InventoryManager(loader=DataLoader(), sources=[job['inventory']])
        if job.get('limit'):
            inventory.subset(job['limit'])
        for pattern in job['patterns']:
            try:
                hosts.append([h.name for h in inventory.get_hosts(pattern)])
            except Exception as e:  # noqa: BLE001 - an Ansible error for this pattern
                hosts.append('ERROR: %s' % e)
    return {'rc': 0, 'stdout': '', 'stderr': err.getvalue(), 'hosts': hosts}


results = [run_cli(job['cli']) if 'cli' in job else run_patterns(job) for job in json.load(sys.stdin)]
json.dump(results, sys.stdout)
