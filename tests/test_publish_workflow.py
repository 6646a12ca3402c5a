"""The GitHub Pages workflow: valid YAML with the structure GitHub Actions accepts, the pinned
build, and a repository-URL step whose result Jupyter Book accepts. Nothing is downloaded or run
on GitHub; the step's own Python is run here against a copy of `_config.yml`.
"""

import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"

# The part of GitHub's workflow syntax this file uses, strictly: unknown keys are errors, so a
# misspelt key ("run-on", "step") fails here instead of on GitHub.
_STEP = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"}, "id": {"type": "string"}, "if": {"type": "string"},
        "uses": {"type": "string", "pattern": r"^[\w.-]+/[\w./-]+@v\d+(\.\d+)*$"},
        "run": {"type": "string"}, "with": {"type": "object"},
        "env": {"type": "object", "additionalProperties": {"type": "string"}},
        "shell": {"type": "string"}, "working-directory": {"type": "string"},
        "timeout-minutes": {"type": "integer"}, "continue-on-error": {"type": "boolean"},
    },
    "oneOf": [{"required": ["uses"]}, {"required": ["run"]}],
}
_PERMISSIONS = {"type": "object", "additionalProperties": {"enum": ["read", "write", "none"]}}
SCHEMA = {
    "type": "object",
    "required": ["name", "on", "jobs"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string"},
        "on": {"type": "object", "propertyNames": {
            "enum": ["push", "pull_request", "workflow_dispatch", "schedule"]}},
        "permissions": _PERMISSIONS,
        "concurrency": {"type": "object", "required": ["group"]},
        "env": {"type": "object"},
        "jobs": {
            "type": "object", "minProperties": 1,
            "additionalProperties": {
                "type": "object", "required": ["runs-on", "steps"], "additionalProperties": False,
                "properties": {
                    "name": {"type": "string"}, "runs-on": {"type": "string"},
                    "needs": {"type": ["string", "array"]}, "if": {"type": "string"},
                    "permissions": _PERMISSIONS, "timeout-minutes": {"type": "integer"},
                    "environment": {"type": "object", "required": ["name"]},
                    "env": {"type": "object"},
                    "steps": {"type": "array", "minItems": 1, "items": _STEP},
                },
            },
        },
    },
}


@pytest.fixture(scope="module")
def workflow():
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the bare key `on` as the boolean true
        data["on"] = data.pop(True)
    return data


def _uses(step, action):
    return step.get("uses", "").startswith(action + "@")


def _steps(workflow):
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_the_workflow_has_the_structure_github_accepts(workflow):
    jsonschema.validate(workflow, SCHEMA)
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        needs = job.get("needs", [])
        for need in [needs] if isinstance(needs, str) else needs:
            assert need in jobs and need != name
        ids = [step["id"] for step in job["steps"] if "id" in step]
        assert len(ids) == len(set(ids))
        for expression in re.findall(r"steps\.([\w-]+)\.", yaml.safe_dump(job)):
            assert expression in ids, f"job {name} refers to a step id {expression!r}"


def test_the_schema_rejects_a_misspelt_key(workflow):
    broken = {**workflow, "jobs": {"build": {"run-on": "ubuntu-24.04", "steps": [{"run": "x"}]}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, SCHEMA)


def test_it_builds_with_the_pinned_requirements_and_publishes_the_html(workflow):
    steps = _steps(workflow)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make .venv/.installed" in runs and "make book" in runs  # requirements.txt, pinned
    setup = next(s for s in steps if _uses(s, "actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    upload = next(s for s in steps if _uses(s, "actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "_build/html"
    deploy = next(job for job in workflow["jobs"].values()
                  if any(_uses(s, "actions/deploy-pages") for s in job["steps"]))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {"contents": "read"}


def test_the_repository_step_switches_every_button_on_in_a_config_jupyter_book_accepts(
        workflow, tmp_path):
    from jupyter_book.config import validate_yaml, yaml_to_sphinx

    step = next(s for s in _steps(workflow) if "REPOSITORY_URL" in s.get("env", {}))
    # The YAML block scalar already strips the file's indentation: this is the exact script
    # the step runs.
    script = re.search(r"<<'EOF'\n(.*?)\n\s*EOF", step["run"], re.S).group(1)
    (tmp_path / "_config.yml").write_text((ROOT / "_config.yml").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    env = {"REPOSITORY_URL": "https://github.com/example/course", "BRANCH": "main"}
    subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, check=True,
                   capture_output=True, text=True)
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    validate_yaml(config, raise_on_errors=True)
    assert config["repository"]["url"] == "https://github.com/example/course"
    theme = yaml_to_sphinx(config)[0]["html_theme_options"]
    assert theme["use_repository_button"] and theme["use_issues_button"]
    assert theme["launch_buttons"]["colab_url"] == "https://colab.research.google.com"
    # Everything else is unchanged.
    original = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert config["sphinx"] == original["sphinx"] and config["execute"] == original["execute"]


def test_the_committed_config_shows_no_button_to_an_unset_repository():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    if not config.get("repository", {}).get("url"):
        assert not any(config["html"].get(key) for key in
                       ("use_repository_button", "use_issues_button", "use_edit_page_button"))
        assert not config["launch_buttons"].get("colab_url")
        assert not config["launch_buttons"].get("binderhub_url")
