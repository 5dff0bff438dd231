"""A catalogue of bad input: each case gets one exact message naming the file, exit code 2, and no traceback."""
from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
from pathlib import Path

import pytest

from verifier import cli

from ..conftest import ROOT, FakeEmbedder, WordEntailment

V = "version: 1\nsources: [../seeds]\n"
GOODCLAIM = "claims:\n  - id: a\n    text: Military cooperation first emerged in 1992.\n"
# The start of a pickle: never unpickled here, since the folder is refused before anything is loaded.
PICKLE = b"\x80\x04\x95"

# (name, files to create, arguments, the message the user gets)
CASES = [
    ("yaml-unclosed-bracket", {"claims/c.yaml": V + "claims: [\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:1: invalid YAML: expected the node content, but found '<stream end>'"),
    ("yaml-bad-indentation", {"claims/c.yaml": V + "claims:\n  - id: a\n     text: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:10: invalid YAML: mapping values are not allowed here"),
    ("yaml-tab-indentation", {"claims/c.yaml": V + "claims:\n\t- id: a\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:1: invalid YAML: found character '\\t' that cannot start any token"),
    ("yaml-duplicate-key", {"claims/c.yaml": V + "version: 1\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:3:1: invalid YAML: found duplicate key \"version\" with value \"1\" (original value: \"1\")"),
    ("empty-file", {"claims/c.yaml": ""}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: the file is empty; see `verifier schema` for the format"),
    ("only-comments", {"claims/c.yaml": "# nothing here\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: the file is empty; see `verifier schema` for the format"),
    ("top-level-list", {"claims/c.yaml": "- id: a\n  text: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: a claims file is a mapping with `version: 1` and `claims:`; see `verifier schema`"),
    ("top-level-scalar", {"claims/c.yaml": "just a sentence\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: a claims file is a mapping with `version: 1` and `claims:`; see `verifier schema`"),
    ("missing-version", {"claims/c.yaml": "sources: [../seeds]\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: 'version' is a required property"),
    ("wrong-version", {"claims/c.yaml": "version: 2\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:10: $.version: version must be 1, not 2"),
    ("version-as-string", {"claims/c.yaml": "version: '1'\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:10: $.version: version must be 1, not '1'"),
    ("missing-claims", {"claims/c.yaml": V}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: 'claims' is a required property"),
    ("no-claims", {"claims/c.yaml": V + "claims: []\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:3:9: $.claims: [] should be non-empty"),
    ("claims-not-a-list", {"claims/c.yaml": V + "claims:\n  a: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:3: $.claims: {'a': 'x'} is not of type 'array'"),
    ("claim-not-a-mapping", {"claims/c.yaml": V + "claims:\n  - just text\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:5: $.claims[0]: 'just text' is not of type 'object'"),
    ("claim-missing-id", {"claims/c.yaml": V + "claims:\n  - text: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:5: $.claims[0]: 'id' is a required property"),
    ("claim-missing-text", {"claims/c.yaml": V + "claims:\n  - id: a\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:5: $.claims[0]: 'text' is a required property"),
    ("id-with-spaces", {"claims/c.yaml": V + "claims:\n  - id: two words\n    text: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:9: $.claims[0].id: 'two words' is not a valid id: use letters, digits, '.', '_' and '-', starting with a letter or digit"),
    ("id-a-number", {"claims/c.yaml": V + "claims:\n  - id: 12\n    text: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:9: $.claims[0].id: 12 is not of type 'string'"),
    ("text-empty", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: ''\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:11: $.claims[0].text: the claim's text is blank"),
    ("text-blank", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: '   '\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:11: $.claims[0].text: the claim's text is blank"),
    ("text-a-list", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: [x]\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:11: $.claims[0].text: ['x'] is not of type 'string'"),
    ("expect-invalid", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: x\n    expect: true\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:13: $.claims[0].expect: True is not one of ['supported', 'contradicted', 'unsupported']"),
    ("unknown-claim-key", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: x\n    quote: y\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:5: $.claims[0].quote: unknown key 'quote'; remove it or check its spelling"),
    ("unknown-top-key", {"claims/c.yaml": V + "source: [x]\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:3:1: $.source: unknown key 'source'; remove it or check its spelling"),  # sources: is there
    ("misspelt-top-key", {"claims/c.yaml": "version: 1\nsource: [../seeds]\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:1: $.source: unknown key 'source'; did you mean 'sources'?"),
    ("misspelt-claim-key", {"claims/c.yaml": V + "claims:\n  - id: a\n    txt: x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:5: $.claims[0].txt: unknown key 'txt'; did you mean 'text'?"),
    ("misspelt-expect-key", {"claims/c.yaml": V + GOODCLAIM + "    expected: contradicted\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:5: $.claims[0].expected: unknown key 'expected'; did you mean 'expect'?"),
    ("misspelt-key-already-there", {"claims/c.yaml": V + GOODCLAIM + "    texts: y\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:5: $.claims[0].texts: unknown key 'texts'; remove it or check its spelling"),
    ("sources-a-string", {"claims/c.yaml": "version: 1\nsources: ../seeds\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:10: $.sources: '../seeds' is not of type 'array'"),
    ("sources-empty-list", {"claims/c.yaml": "version: 1\nsources: []\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:10: $.sources: [] should be non-empty"),
    ("sources-empty-item", {"claims/c.yaml": "version: 1\nsources: ['']\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:11: $.sources[0]: '' should be non-empty"),
    ("duplicate-ids", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: x\n  - id: a\n    text: y\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:9: $.claims[1].id: duplicate id 'a', first used on line 4; ids must be unique"),
    ("several-errors-at-once", {"claims/c.yaml": V + "claims:\n  - id: a b\n    text: x\n  - txt: y\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:4:9: $.claims[0].id: 'a b' is not a valid id: use letters, digits, '.', '_' and '-', starting with a letter or digit"),
    ("claims-folder-without-yaml", {"claims/readme.txt": "x"}, ["check", "claims"],
     "verifier: error: claims: no claims files (*.yaml, *.yml) in this folder"),
    ("claims-path-missing", {}, ["check", "nowhere.yaml"],
     "verifier: error: nowhere.yaml: no such file or folder; give a claims file or a folder of them"),
    ("claims-binary", {"claims/c.yaml": b"\x89PNG\r\n\x1a\n\x00\x00"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: this is a binary file, not a YAML claims file"),
    ("claims-latin-1", {"claims/c.yaml": (V + "claims:\n  - id: a\n    text: caf\xe9\n").encode("latin-1")}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:1: not valid UTF-8 (byte 62); save the file as UTF-8"),
    ("claims-utf16-broken", {"claims/c.yaml": b"\xff\xfev\x00\x00\xd8"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: not valid UTF-16 text"),
    ("alias-bomb", {"claims/c.yaml": V + "a: &a ['x','x','x','x','x','x','x','x','x']\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nclaims: *d\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:3:4: $.b[0]: YAML anchors and aliases are not allowed in claims files"),
    ("yaml-malformed-number", {"claims/c.yaml": "version: 0x_\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: invalid YAML: a value could not be read (string index out of range); quote values that look like numbers but are not"),
    ("python-object-tag", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: !!python/object/apply:os.system ['touch pwned']\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:11: $.claims[0].text: YAML tags such as tag:yaml.org,2002:python/object/apply:os.system are not allowed"),
    ("custom-tag", {"claims/c.yaml": V + "claims:\n  - id: a\n    text: !secret x\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:5:11: $.claims[0].text: YAML tags such as !secret are not allowed"),
    ("claims-file-too-large", {"claims/c.yaml": "#" * (11 * 1024 * 1024)}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: file is 11 MB; claims files are limited to 10 MB"),
    ("source-missing", {"claims/c.yaml": "version: 1\nsources: [../missing.txt]\n" + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:11: $.sources[0]: source '../missing.txt' was not found (looked for missing.txt); paths in `sources:` are relative to the claims file's folder"),
    ("claim-source-missing", {"claims/c.yaml": V + GOODCLAIM + "    sources: [other/a.txt]\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:6:15: $.claims[0].sources[0]: source 'other/a.txt' was not found (looked for claims/other/a.txt); paths in `sources:` are relative to the claims file's folder"),
    ("source-missing-and-schema-error", {"claims/c.yaml": "version: 1\nsources: [../missing.txt]\n" + GOODCLAIM + "    expect: maybe\n"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:11: $.sources[0]: source '../missing.txt' was not found (looked for missing.txt); paths in `sources:` are relative to the claims file's folder"),
    ("default-sources-missing", {"claims/c.yaml": "version: 1\n" + GOODCLAIM, "seeds": None}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: no `sources:` in this file, and the default source seeds (in the working folder) was not found; add `sources:` to the file (paths relative to its folder), or pass --sources"),
    ("default-sources-missing-after-comments", {"claims/c.yaml": "# notes\n\nversion: 1\n" + GOODCLAIM, "seeds": None}, ["validate", "claims/c.yaml"],
     "claims/c.yaml:3:1: $: no `sources:` in this file, and the default source seeds (in the working folder) was not found; add `sources:` to the file (paths relative to its folder), or pass --sources"),
    ("validate-source-missing", {"claims/c.yaml": "version: 1\nsources: [../seeds, ../missing]\n" + GOODCLAIM}, ["validate", "claims/c.yaml"],
     "claims/c.yaml:2:21: $.sources[1]: source '../missing' was not found (looked for missing); paths in `sources:` are relative to the claims file's folder"),
    ("cite-default-sources-missing", {"draft.md": "The drills began in Lachin today.\n", "seeds": None}, ["cite", "draft.md"],
     "verifier: error: draft.md: no sources to cite the draft from: no --sources given, and the default source seeds (in the working folder) was not found; pass --sources with the files or folders (.txt, .md, .html, .pdf, .docx) to read"),
    ("cite-sources-option-missing", {"draft.md": "The drills began in Lachin today.\n"}, ["cite", "draft.md", "--sources", "notes/"],
     "verifier: error: notes: source was not found; paths given to --sources are relative to the working folder"),
    ("source-folder-without-text", {"claims/c.yaml": "version: 1\nsources: [../docs]\n" + GOODCLAIM, "docs/a.png": b"\x89PNG\r\n\x1a\n"}, ["check", "claims/c.yaml"],
     "verifier: error: docs: no source files (.txt, .md, .html, .pdf, .docx) in this folder"),
    ("source-folder-nothing-readable", {"claims/c.yaml": "version: 1\nsources: [../docs]\n" + GOODCLAIM, "docs/a.pdf": b"%PDF"}, ["check", "claims/c.yaml"],
     "verifier: error: no source could be read (docs/a.pdf; see the warnings above): fix or replace those files, or name readable ones"),
    ("source-binary", {"claims/c.yaml": "version: 1\nsources: [../docs/a.txt]\n" + GOODCLAIM, "docs/a.txt": b"\x00\x01\x02"}, ["check", "claims/c.yaml"],
     "verifier: error: docs/a.txt: this is a binary file, not a source; sources are .txt, .md, .html, .pdf, .docx files"),
    ("source-latin-1", {"claims/c.yaml": "version: 1\nsources: [../docs/a.txt]\n" + GOODCLAIM, "docs/a.txt": "Caf\xe9 first emerged.\n".encode("latin-1")}, ["check", "claims/c.yaml"],
     "verifier: error: docs/a.txt:1: source is not valid UTF-8 (byte 3); re-save it as UTF-8"),
    ("source-symlink-loop", {"claims/c.yaml": "version: 1\nsources: [../docs/loop.txt]\n" + GOODCLAIM, "docs/loop.txt": "@symlink:loop.txt"}, ["check", "claims/c.yaml"],
     "claims/c.yaml:2:11: $.sources[0]: source '../docs/loop.txt' is a broken or looping symlink (looked for docs/loop.txt); paths in `sources:` are relative to the claims file's folder"),
    ("sources-all-empty", {"claims/c.yaml": "version: 1\nsources: [../docs]\n" + GOODCLAIM, "docs/a.txt": "\n\n  \n", "docs/b.md": ""}, ["check", "claims/c.yaml"],
     "verifier: error: the sources hold no text to check claims against: docs/a.txt, docs/b.md"),
    ("sources-option-missing", {"claims/c.yaml": V + GOODCLAIM}, ["check", "claims/c.yaml", "--sources", "nope/"],
     "verifier: error: nope: source was not found; paths given to --sources are relative to the working folder"),
    ("thresholds-not-json", {"claims/c.yaml": V + GOODCLAIM, "t.json": "{nope"}, ["check", "claims/c.yaml", "--thresholds", "t.json"],
     "verifier: error: t.json:1:2: not valid JSON: Expecting property name enclosed in double quotes"),
    ("thresholds-beside-claims-bad", {"claims/c.yaml": V + GOODCLAIM, "claims/verifier-thresholds.json": '{"version": 1, "support_cosine": 5}'}, ["check", "claims/c.yaml"],
     "verifier: error: claims/verifier-thresholds.json: support_cosine must be a number from 0 to 1"),
    ("model-folder-missing", {"claims/c.yaml": V + GOODCLAIM}, ["check", "claims/c.yaml", "--model", "no-model"],
     "verifier: error: no-model: model folder not found; give the folder of a sentence-transformers model"),
    ("output-into-missing-folder-file", {"claims/c.yaml": V + GOODCLAIM, "blocker": "x"}, ["check", "claims/c.yaml", "--format", "json", "-o", "blocker/r.json"],
     "verifier: error: blocker/r.json: cannot write it: blocker is not a folder"),
    ("two-formats-to-stdout", {"claims/c.yaml": V + GOODCLAIM}, ["check", "claims/c.yaml", "--format", "json", "--format", "sarif"],
     "verifier: error: only one report can go to standard output; give each other --format an --output"),
    ("unknown-format", {}, ["check", "--format", "pdf"],
     "Error: Invalid value for '--format': 'pdf' is not one of 'text', 'json', 'markdown', 'junit', 'sarif', 'github', 'html'."),
    ("unknown-option", {}, ["check", "--frobnicate"],
     "Error: No such option '--frobnicate'. Did you mean '--format'?"),
    ("unknown-command", {}, ["verify"],
     "Error: No such command 'verify'."),
    ("validate-bad-file", {"claims/c.yaml": V + "claims: []\n"}, ["validate", "claims/c.yaml"],
     "claims/c.yaml:3:9: $.claims: [] should be non-empty"),
    ("cite-draft-missing", {}, ["cite", "draft.md"],
     "verifier: error: draft.md: cannot read the draft: No such file or directory"),
    ("cite-draft-empty", {"draft.md": ""}, ["cite", "draft.md"],
     "verifier: error: draft.md: no sentences to check (code, headings, tables and front matter are skipped)"),
    ("cite-draft-only-code", {"draft.md": "```\nprint('x. y. z.')\n```\n"}, ["cite", "draft.md"],
     "verifier: error: draft.md: no sentences to check (code, headings, tables and front matter are skipped)"),
    ("cite-draft-binary", {"draft.md": b"\x00\x01"}, ["cite", "draft.md"],
     "verifier: error: draft.md: this is a binary file, not a Markdown or text draft"),
    ("cite-draft-latin-1", {"draft.md": "Caf\xe9 is open today.\n".encode("latin-1")}, ["cite", "draft.md"],
     "verifier: error: draft.md:1: the draft is not valid UTF-8 (byte 3); save it as UTF-8"),
    ("cite-in-place-json", {"draft.md": "The drills began in Lachin today.\n"}, ["cite", "draft.md", "--in-place", "--format", "json"],
     "verifier: error: --in-place rewrites the draft, so it needs --format markdown"),
    ("cite-claims-out-through-a-file", {"draft.md": "The drills began in Lachin today.\n", "blocker": "x"},
     ["cite", "draft.md", "--claims-out", "blocker/c.yaml"],
     "verifier: error: blocker/c.yaml: cannot write it: blocker is not a folder"),
    ("calibrate-output-through-a-file", {"claims/c.yaml": V + GOODCLAIM, "blocker": "x"},
     ["calibrate", "claims/c.yaml", "-o", "blocker/t.json"],
     "verifier: error: blocker/t.json: cannot write it: blocker is not a folder"),
    ("source-unreadable", {"claims/c.yaml": "version: 1\nsources: [../docs/a.txt]\n" + GOODCLAIM,
                           "docs/a.txt": "@unreadable:Military cooperation first emerged in 1992.\n"}, ["check", "claims/c.yaml"],
     "verifier: error: docs/a.txt: cannot read source: Permission denied; give the user running verifier read access to it"),
    ("source-named-unreadable", {"claims/c.yaml": "version: 1\nsources: [../docs/a.txt, ../docs/b.md]\n" + GOODCLAIM,
                                     "docs/a.txt": "Military cooperation first emerged in 1992.\n",
                                     "docs/b.md": "@unreadable:# Notes\n"}, ["check", "claims/c.yaml"],
     "verifier: error: docs/b.md: cannot read source: Permission denied; give the user running verifier read access to it"),
    ("claims-unreadable", {"claims/c.yaml": "@unreadable:" + V + GOODCLAIM}, ["check", "claims/c.yaml"],
     "claims/c.yaml:1:1: cannot read file: Permission denied; give the user running verifier read access to it"),
    ("validate-unreadable", {"claims/c.yaml": "@unreadable:" + V + GOODCLAIM}, ["validate", "claims/c.yaml"],
     "claims/c.yaml:1:1: cannot read file: Permission denied; give the user running verifier read access to it"),
    ("thresholds-unreadable", {"claims/c.yaml": V + GOODCLAIM, "t.json": "@unreadable:{}"},
     ["check", "claims/c.yaml", "--thresholds", "t.json"],
     "verifier: error: t.json: cannot read the thresholds: Permission denied; give the user running verifier read access to it"),
    ("cite-draft-unreadable", {"draft.md": "@unreadable:The drills began in Lachin today.\n"}, ["cite", "draft.md"],
     "verifier: error: draft.md: cannot read the draft: Permission denied; give the user running verifier read access to it"),
    ("cite-source-unreadable", {"draft.md": "The drills began in Lachin today.\n", "docs/a.txt": "@unreadable:x\n"},
     ["cite", "draft.md", "--sources", "docs/a.txt"],
     "verifier: error: docs/a.txt: cannot read source: Permission denied; give the user running verifier read access to it"),
    ("model-weights-only-pickle", {"claims/c.yaml": V + GOODCLAIM, "m/config.json": "{}", "m/pytorch_model.bin": PICKLE},
     ["check", "claims/c.yaml", "--model", "m"],
     "verifier: error: m: the model's weights are only in pickle files (pytorch_model.bin), and loading a pickle can run "
     "code; convert them to safetensors (load the model where you trust it, then "
     "`save_pretrained(folder, safe_serialization=True)`) and try again"),
    ("model-module-weights-only-pickle", {"claims/c.yaml": V + GOODCLAIM, "m/model.safetensors": b"{}",
                                          "m/2_Dense/pytorch_model.bin": PICKLE, "m/2_Dense/config.json": "{}"},
     ["check", "claims/c.yaml", "--model", "m"],
     "verifier: error: m: the model's weights are only in pickle files (2_Dense/pytorch_model.bin), and loading a "
     "pickle can run code; convert them to safetensors (load the model where you trust it, then "
     "`save_pretrained(folder, safe_serialization=True)`) and try again"),
    ("nli-model-weights-only-pickle", {"claims/c.yaml": V + GOODCLAIM, "nli/config.json": "{}", "nli/model.ckpt": PICKLE},
     ["check", "claims/c.yaml", "--nli-model", "nli"],
     "verifier: error: nli: the NLI model's weights are only in pickle files (model.ckpt), and loading a pickle can run "
     "code; convert them to safetensors (load the model where you trust it, then "
     "`save_pretrained(folder, safe_serialization=True)`) and try again"),
    ("expect-count", {}, ["check", "--claim", "A.", "--claim", "B.", "--claim", "C.", "--expect", "supported",
                          "--expect", "contradicted"],
     "verifier: error: --expect: given 2 times for 3 --claim; give it once for every claim, or once for each --claim "
     "in the same order"),
    ("expect-without-claim", {"claims/c.yaml": V + GOODCLAIM}, ["check", "claims/c.yaml", "--expect", "supported"],
     "verifier: error: --expect sets the verdict a --claim must get; a claims file gives each claim's `expect`"),
    ("claim-blank", {}, ["check", "--claim", "  "],
     "verifier: error: --claim: the claim's text is blank; give the claim to check, in quotes"),
    ("claim-and-claims-files", {"claims/c.yaml": V + GOODCLAIM}, ["check", "claims/c.yaml", "--claim", "The drills began."],
     "verifier: error: give claims files or --claim, not both"),
    ("claim-default-sources-missing", {"seeds": None}, ["check", "--claim", "The drills began in Lachin."],
     "verifier: error: --claim: no sources to check the claim against: no --sources given, and the default source seeds (in the working folder) was not found; pass --sources with the files or folders (.txt, .md, .html, .pdf, .docx) to read"),
    ("claim-sources-missing", {}, ["check", "--claim", "The drills began in Lachin.", "--sources", "gone.txt"],
     "verifier: error: gone.txt: source was not found; paths given to --sources are relative to the working folder"),
    ("stdin-claims-invalid", {"<stdin>": V + "claims:\n  - id: a\n    txt: x\n"}, ["check", "-"],
     "<stdin>:5:5: $.claims[0].txt: unknown key 'txt'; did you mean 'text'?"),
    ("stdin-claims-binary", {"<stdin>": b"\x00\x01"}, ["validate", "-"],
     "<stdin>:1:1: this is a binary file, not a YAML claims file"),
    ("stdin-claims-empty", {"<stdin>": ""}, ["check", "-"],
     "<stdin>:1:1: the file is empty; see `verifier schema` for the format"),
    ("stdin-draft-latin-1", {"<stdin>": "Caf\xe9 is open today.\n".encode("latin-1")}, ["cite", "-"],
     "verifier: error: <stdin>:1: the draft is not valid UTF-8 (byte 3); save it as UTF-8"),
    ("stdin-draft-in-place", {"<stdin>": "The drills began in Lachin today.\n"}, ["cite", "-", "--in-place"],
     "verifier: error: --in-place rewrites the draft's file, and a draft from standard input has none; use --output or redirect standard output"),
    ("pyproject-unknown-key", {"claims/c.yaml": V + GOODCLAIM, "pyproject.toml": "[tool.verifier]\nsource = ['seeds']\n"},
     ["check", "claims/c.yaml"], "verifier: error: pyproject.toml: [tool.verifier] source: unknown key; did you mean 'sources'?"),
    ("pyproject-bad-format", {"claims/c.yaml": V + GOODCLAIM, "pyproject.toml": "[tool.verifier]\nformats = ['sarf']\n"},
     ["check", "claims/c.yaml"], "verifier: error: pyproject.toml: [tool.verifier] formats[0]: 'sarf' is not a report format; did you mean 'sarif'?"),
    ("pyproject-not-toml", {"claims/c.yaml": V + GOODCLAIM, "pyproject.toml": "[tool.verifier]\nsources = [seeds]\n"},
     ["validate", "claims/c.yaml"], "verifier: error: pyproject.toml:2:12: not valid TOML: Invalid value"),
    ("pyproject-sources-missing", {"claims/c.yaml": "version: 1\n" + GOODCLAIM, "pyproject.toml": "[tool.verifier]\nsources = ['docs']\n"},
     ["validate", "claims/c.yaml"],
     "claims/c.yaml:1:1: $: no `sources:` in this file, and the default source docs (from [tool.verifier] sources in pyproject.toml) was not found; add `sources:` to the file (paths relative to its folder), or pass --sources"),
    ("pyproject-thresholds-missing", {"claims/c.yaml": V + GOODCLAIM, "pyproject.toml": "[tool.verifier]\nthresholds = 'calibrated.json'\n"},
     ["check", "claims/c.yaml"],
     "verifier: error: calibrated.json: cannot read the thresholds (from [tool.verifier] thresholds in pyproject.toml): No such file or directory"),
    ("pyproject-output-through-a-file", {"claims/c.yaml": V + GOODCLAIM, "blocker": "x",
                                         "pyproject.toml": "[tool.verifier]\nformats = [{format = 'json', output = 'blocker/r.json'}]\n"},
     ["check", "claims/c.yaml"], "verifier: error: blocker/r.json: cannot write it: blocker is not a folder"),
    ("cite-pin-without-claims-out", {"draft.md": "The drills began in Lachin today.\n"}, ["cite", "draft.md", "--pin"],
     "verifier: error: --pin sets the `expect` of the claims that --claims-out writes; give --claims-out FILE too"),
    ("cite-in-place-and-output", {"draft.md": "The drills began in Lachin today.\n"}, ["cite", "draft.md", "--in-place", "-o", "x.md"],
     "verifier: error: --in-place and --output both name where to write; give one"),
]


def fakes(argv):
    """Stand-in models, except where the case names a model folder of its own: that one is loaded for real."""
    from verifier.components import Components

    return Components(embedder=None if "--model" in argv else FakeEmbedder(),
                      entailment=None if "--nli-model" in argv else WordEntailment())


def _lay_out(folder: Path, files: dict) -> set[Path]:
    """Create the files; returns those marked ``@unreadable:``, to be made unreadable by _deny_reading."""
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    unreadable = set()
    for name, content in files.items():
        if name == "<stdin>":
            continue
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:  # take away what the layout would otherwise have
            shutil.rmtree(path)
        elif isinstance(content, str) and content.startswith("@symlink:"):
            os.symlink(content.split(":", 1)[1], path)
        elif isinstance(content, str) and content.startswith("@unreadable:"):
            path.write_text(content.split(":", 1)[1], encoding="utf-8")
            unreadable.add(path.resolve())
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return unreadable


def _deny_reading(monkeypatch, paths: set[Path]) -> None:
    """Opening these files raises PermissionError, as for a file without read permission.

    chmod cannot simulate it: the tests run as root, who may read anything.
    """
    real = builtins.open

    def guarded(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(os.fsdecode(file)).resolve() in paths:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    monkeypatch.setattr(io, "open", guarded)  # what pathlib's read_bytes and read_text call


def test_the_catalogue_is_large_enough():
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name,files,argv,message", CASES, ids=[c[0] for c in CASES])
def test_bad_input(name, files, argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    unreadable = _lay_out(tmp_path, files)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    if "<stdin>" in files:
        data = files["<stdin>"]
        raw = data if isinstance(data, bytes) else data.encode("utf-8")
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    with monkeypatch.context() as m:
        _deny_reading(m, unreadable)
        rc = cli.main(argv, fakes(argv))
    out, err = capsys.readouterr()
    assert rc == 2, err
    assert "Traceback" not in err
    assert message in err.splitlines()
    assert out == ""
    # Nothing the user had is changed, and nothing half-written is left behind.
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()}
    assert {p: b for p, b in after.items() if p in before} == before
    assert not [p for p in after if p not in before and "cache" not in p.parts]


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root and setpriv to become nobody")
@pytest.mark.parametrize("argv,unreadable,message", [
    (["check", "claims/c.yaml"], "docs/a.txt",
     "verifier: error: docs/a.txt: cannot read source: Permission denied; give the user running verifier read access to it"),
    (["validate", "claims/c.yaml"], "claims/c.yaml",
     "claims/c.yaml:1:1: cannot read file: Permission denied; give the user running verifier read access to it"),
    (["check", "claims/c.yaml", "--sources", "docs"], "docs",
     "verifier: error: docs: cannot read the folder: Permission denied; give the user running verifier read access to it"),
    (["cite", "draft.md"], "draft.md",
     "verifier: error: draft.md: cannot read the draft: Permission denied; give the user running verifier read access to it"),
])
def test_a_file_without_read_permission_as_an_ordinary_user(argv, unreadable, message):
    """The catalogue's simulated PermissionError, for real: the CLI as `nobody` on a file of mode 000."""
    import subprocess
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="verifier-unreadable-"))  # pytest's tmp_path is private to root
    try:
        folder.chmod(0o755)
        _lay_out(folder, {"claims/c.yaml": "version: 1\nsources: [../docs/a.txt]\n" + GOODCLAIM,
                          "docs/a.txt": "Military cooperation first emerged in 1992.\n",
                          "draft.md": "The drills began in Lachin today.\n"})
        (folder / "cache").mkdir(mode=0o777)
        (folder / "cache").chmod(0o777)
        (folder / unreadable).chmod(0)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(folder), "VERIFIER_CACHE_DIR": str(folder / "cache")}
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            sys.executable, "-m", "verifier", *argv],
                           cwd=folder, env=env, capture_output=True, text=True, timeout=300)
        assert r.returncode == 2, r.stderr
        assert "Traceback" not in r.stderr
        assert message in r.stderr.splitlines()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
