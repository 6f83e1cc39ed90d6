"""Pinned sources: every record used in the link set comes from one of these (repo, commit, path).

All data are read with `git show <commit>:<path>` from the local snapshot that the
search tool's `fetch` brought to /work/.mirror/<owner>+<name>/. Nothing is downloaded
from anywhere else and nothing is rewritten: the scripts only parse and select.
"""
import os
import subprocess

MIRROR = "/work/.mirror"

# repo -> (commit used, licence of the repository, licence evidence)
REPOS = {
    "mjarmak/funding-search-engine": {
        "commit": "e9fbc240057db084c632c304cea982b0dc059349",
        "repo_licence": "no LICENSE file in the repository",
    },
    "MichaelCarloH/Horizon-Europe-MDA": {
        "commit": "e834673ca71e9dafab8c0b2cc2f79e498d70d3d1",
        "repo_licence": "no LICENSE file in the repository",
    },
    "adambuttrick/anr-funding-metadata-analysis": {
        "commit": "e2daf26483d8c86e421b381d2aac7782bce95787",
        "repo_licence": "MIT (LICENSE, 'Copyright (c) 2025 Adam')",
    },
    "subugoe/openairegraph": {
        "commit": "b0443e9e528b1d855d00372a988fa98888cfdc19",
        "repo_licence": "MIT (LICENSE.md); records are OpenAIRE Graph data, CC BY 4.0",
    },
    "openeuropa/cordis-php-client": {
        "commit": "6ff1079568f69b451379ae30771dfc2c4506b6ef",
        "repo_licence": "EUPL-1.2 (LICENSE)",
    },
    "thisisjohnc/horizon-europe-tools": {
        "commit": "8b2faf99b4771ebe3d975b6a2d6879891e25b2fa",
        "repo_licence": "CC BY-SA 4.0 (README, LICENSE-CC-BY-SA.txt); the rows are CORDIS open data",
    },
    "banqusli/Knowledge_graph": {
        "commit": "76f324e706b74805fb53a84a9dd078100f6ec766",
        "repo_licence": "no LICENSE file in the repository; the rows are CORDIS open data",
    },
    "openaire/iis": {
        "commit": "bd91539d9073b7eafe45da620ee0c735d030f85e",
        "repo_licence": "Apache-2.0 (LICENSE)",
    },
}


def git_dir(repo):
    base = os.path.join(MIRROR, repo.replace("/", "+"), "repo")
    return os.path.join(base, ".git") if os.path.isdir(os.path.join(base, ".git")) else base


def full_commit(repo, commit):
    return subprocess.run(["git", "--git-dir", git_dir(repo), "rev-parse", commit],
                          capture_output=True, text=True, check=True).stdout.strip()


def show(repo, commit, path, binary=False):
    out = subprocess.run(["git", "--git-dir", git_dir(repo), "show", f"{commit}:{path}"],
                         capture_output=True, check=True).stdout
    return out if binary else out.decode("utf-8")


def ls(repo, commit, prefix):
    out = subprocess.run(["git", "--git-dir", git_dir(repo), "ls-tree", "-r", "--name-only", commit, prefix],
                         capture_output=True, text=True, check=True).stdout
    return [l for l in out.splitlines() if l]


def prov(repo, commit, path, **extra):
    d = {"repo": repo, "commit": commit, "path": path, "url": f"https://github.com/{repo}/blob/{commit}/{path}"}
    d.update(extra)
    return d
