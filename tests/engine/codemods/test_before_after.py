"""Every codemod on before/after pairs: exact text out (formatting kept byte for byte), and
idempotent (the fixed text has no site left)."""

from __future__ import annotations

import ast

import pytest
from codemod_helpers import findings, fix_all, fix_one

CASES = [
    # HEP101 yaml-unsafe-load
    ("HEP101", "import yaml\nd = yaml.load(f)\n", "import yaml\nd = yaml.safe_load(f)\n"),
    (
        "HEP101",
        "import yaml as y\nd = y.load_all(f)\n",
        "import yaml as y\nd = y.safe_load_all(f)\n",
    ),
    (
        "HEP101",
        "from yaml import load\nd = load(f)\n",
        "from yaml import safe_load\nd = safe_load(f)\n",
    ),
    (
        "HEP101",
        "import yaml\nd = yaml.load(f, Loader=yaml.FullLoader)\n",
        "import yaml\nd = yaml.load(f, Loader=yaml.SafeLoader)\n",
    ),
    (
        "HEP101",
        "from yaml import load, CLoader\nd = load(f, CLoader)\n",
        "from yaml import CSafeLoader, load\nd = load(f, CSafeLoader)\n",
    ),
    # HEP102 none-comparison (chained, reversed, nested in a call and a comprehension)
    ("HEP102", "if x == None:\n    pass\n", "if x is None:\n    pass\n"),
    ("HEP102", "ok = a  !=  None\n", "ok = a  is not  None\n"),
    (
        "HEP102",
        "if None == x or not y != None: pass\n",
        "if None is x or not y is not None: pass\n",
    ),
    (
        "HEP102",
        "q = [v for v in vs if v == None]\nr = f(g(x == None))\n",
        "q = [v for v in vs if v is None]\nr = f(g(x is None))\n",
    ),
    # HEP103 mutable-default-argument (docstring, two params, one-line body, nested function)
    (
        "HEP103",
        'def f(a, b=[], *, c={}):\n    """Doc.\n\n    More."""\n    return a\n',
        'def f(a, b=None, *, c=None):\n    """Doc.\n\n    More."""\n'
        "    if b is None:\n        b = []\n    if c is None:\n        c = {}\n    return a\n",
    ),
    (
        "HEP103",
        "def g(x=set()): return x\n",
        "def g(x=None):\n    if x is None:\n        x = set()\n    return x\n",
    ),
    (
        "HEP103",
        "class A:\n\tdef m(self, d={1: 2}):\n\t\tdef inner(e=[]):\n\t\t\treturn e\n\t\treturn d\n",
        "class A:\n\tdef m(self, d=None):\n\t\tif d is None:\n\t\t\td = {1: 2}\n"
        "\t\tdef inner(e=None):\n\t\t\tif e is None:\n\t\t\t\te = []\n\t\t\treturn e\n"
        "\t\treturn d\n",
    ),
    # HEP104 bare-except
    (
        "HEP104",
        "try:\n    go()\nexcept:  # keep me\n    pass\n",
        "try:\n    go()\nexcept Exception:  # keep me\n    pass\n",
    ),
    (
        "HEP104",
        "try:\n    go()\nexcept:\n    undo()\n    raise\n",
        "try:\n    go()\nexcept BaseException:\n    undo()\n    raise\n",
    ),
    # HEP105 open-without-encoding (positional text mode, keyword mode, trailing comma, io.open)
    ("HEP105", "f = open(p)\n", 'f = open(p, encoding="utf-8")\n'),
    ("HEP105", 'f = open(p, "w")\n', 'f = open(p, "w", encoding="utf-8")\n'),
    (
        "HEP105",
        'import io\nf = io.open(\n    p,\n    mode="rt",\n)\n',
        'import io\nf = io.open(\n    p,\n    mode="rt",\n    encoding="utf-8",\n)\n',
    ),
    # HEP106 request-without-timeout
    (
        "HEP106",
        "import requests as r\nr.post(u, json=b)\n",
        "import requests as r\nr.post(u, json=b, timeout=30)\n",
    ),
    (
        "HEP106",
        "from httpx import Client\nc = Client(timeout=None)\n",
        "from httpx import Client\nc = Client(timeout=30)\n",
    ),
    # HEP107 subprocess-shell-constant
    (
        "HEP107",
        "import subprocess\nsubprocess.run('git status --short', shell=True, check=True)\n",
        "import subprocess\nsubprocess.run(['git', 'status', '--short'], check=True)\n",
    ),
    (
        "HEP107",
        "from subprocess import check_output as co\nout = co(\"ls 'my dir'\", shell=True)\n",
        'from subprocess import check_output as co\nout = co(["ls", "my dir"])\n',
    ),
    # HEP108 tempfile-mktemp
    (
        "HEP108",
        "import tempfile\n\n\ndef f():\n"
        "    path = tempfile.mktemp(suffix='.db')\n    return path\n",
        "import tempfile\nimport os\n\n\ndef f():\n    _fd, path = tempfile.mkstemp(suffix='.db')\n"
        "    os.close(_fd)\n    return path\n",
    ),
    # HEP109 datetime-utcnow
    (
        "HEP109",
        "from datetime import datetime as dt\nnow = dt.utcnow()\n",
        "from datetime import timezone, datetime as dt\nnow = dt.now(timezone.utc)\n",
    ),
    (
        "HEP109",
        "import datetime as d\nt = d.datetime.utcfromtimestamp(ts)\n",
        "import datetime as d\nt = d.datetime.fromtimestamp(ts, d.timezone.utc)\n",
    ),
]


@pytest.mark.parametrize(("rule", "before", "after"), CASES)
def test_before_after(rule: str, before: str, after: str) -> None:
    found = findings(before, rule)
    assert found, "the codemod found no site"
    assert {f.rule for f in found} == {rule}
    assert fix_all(before, rule) == after
    ast.parse(after)
    if len(found) == 1:  # a lone site's own minimal edits give the same text
        assert fix_one(before, found[0]) == after
    assert findings(after, rule) == []  # idempotent: nothing left to fix


NO_SITE = [
    ("HEP101", "import yaml\nd = yaml.load(f, Loader=yaml.SafeLoader)\n"),
    ("HEP101", "def load(f): ...\nd = load(f)\n"),  # not PyYAML's load
    ("HEP102", "if x is None: pass\nif x == 0: pass\n"),
    ("HEP103", "def f(a=None, b=(), c=frozenset()): ...\n"),
    ("HEP104", "try:\n    go()\nexcept ValueError:\n    pass\n"),
    ("HEP105", 'open(p, "rb")\nopen(p, mode=m)\nopen(p, encoding="latin-1")\nopen(p, **kw)\n'),
    ("HEP105", "def f(open):\n    return open(p)\n"),  # a parameter shadows the builtin
    ("HEP106", "import requests\nrequests.get(u, timeout=5)\nrequests.get(u, **opts)\n"),
    ("HEP106", "import httpx\nhttpx.get(u)\n"),  # httpx has a 5 s default
    ("HEP107", "import subprocess\nsubprocess.run('ls | wc -l', shell=True)\n"),
    ("HEP107", "import subprocess\nsubprocess.run('cd /tmp', shell=True)\n"),  # a shell builtin
    ("HEP107", "import subprocess\nsubprocess.run('ls $HOME', shell=True)\n"),
    ("HEP107", "import subprocess\nsubprocess.run(f'ls {d}', shell=True)\n"),
    ("HEP108", "import tempfile\nopen(tempfile.mktemp(), 'w')\n"),  # not a plain assignment
    (
        "HEP109",
        "from datetime import datetime\nfrom django.utils import timezone\nx = datetime.utcnow()\n",
    ),
    ("HEP109", "from datetime import datetime\nx = datetime.now()\n"),
]


@pytest.mark.parametrize(("rule", "text"), NO_SITE)
def test_no_site(rule: str, text: str) -> None:
    assert findings(text, rule) == []
