//! The CI integrations run as a CI system would run them: the shell of the "Connectivity
//! diff" step of `docs/ci/netpol-diff.yml` on a fixture git repository with two commits
//! (the workflow's own commands, read from the file); the binary installed as
//! `kubectl-netpol` (a kubectl plugin); the pre-commit hook of `.pre-commit-hooks.yaml`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netpol-ci-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=netpol",
            "-c",
            "user.email=netpol@example.org",
        ])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A directory with the binary under `name` (as `cargo install` or a plugin manager
/// would put it), for the PATH.
fn bin_dir(name: &str, tag: &str) -> PathBuf {
    let dir = temp_dir(tag);
    let target = dir.join(name);
    // A hard link, not a copy: a copy is a file open for writing, and a child that another
    // test's thread forks meanwhile inherits that descriptor, so executing the copy can
    // fail with "text file busy" (ETXTBSY). A link writes nothing; the copy is only the
    // fallback across file systems.
    if std::fs::hard_link(env!("CARGO_BIN_EXE_netpol"), &target).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_netpol"), &target).unwrap();
    }
    dir
}

fn path_with(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// The workflow's job env and the run script and env of the step with `id`.
fn workflow_step(id: &str) -> (Vec<(String, String)>, String) {
    let text = std::fs::read_to_string(root().join("docs/ci/netpol-diff.yml")).unwrap();
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let job = &doc["jobs"]["diff"];
    let mut env: Vec<(String, String)> = Vec::new();
    let mut take = |m: &serde_yaml::Value| {
        if let Some(m) = m.as_mapping() {
            for (k, v) in m {
                env.push((k.as_str().unwrap().into(), v.as_str().unwrap_or("").into()));
            }
        }
    };
    take(&job["env"]);
    let step = job["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step `{id}` in the workflow"));
    take(&step["env"]);
    let run = step["run"].as_str().unwrap().to_string();
    assert!(
        !run.contains("${{"),
        "the step's shell must read env, not expressions:\n{run}"
    );
    (env, run)
}

#[test]
fn the_workflow_diffs_two_revisions_of_a_fixture_repository() {
    let (env, run) = workflow_step("diff");
    let manifests = env
        .iter()
        .find(|(k, _)| k == "MANIFESTS")
        .map(|(_, v)| v.clone())
        .unwrap();
    let repo = temp_dir("repo");
    let fixture = root().join("tests/diff/policy-added");
    git(&repo, &["init", "-q"]);
    std::fs::create_dir_all(repo.join(&manifests)).unwrap();
    std::fs::copy(
        fixture.join("before/cluster.yaml"),
        repo.join(&manifests).join("cluster.yaml"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "base"]);
    let base = git(&repo, &["rev-parse", "HEAD"]);
    std::fs::copy(
        fixture.join("after/allow-api.yaml"),
        repo.join(&manifests).join("allow-api.yaml"),
    )
    .unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "head"]);
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let bin = bin_dir("netpol", "bin");
    // As GitHub runs a `run:` step: bash -e -o pipefail, in the checkout.
    let step = |base_sha: &str, tag: &str| {
        let runner = temp_dir(tag);
        let output = runner.join("github-output");
        let status = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &run])
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("BASE_SHA", base_sha)
            .env("RUNNER_TEMP", &runner)
            .env("GITHUB_OUTPUT", &output)
            .env("PATH", path_with(&bin))
            .current_dir(&repo)
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}{}",
            String::from_utf8_lossy(&status.stdout),
            String::from_utf8_lossy(&status.stderr)
        );
        let md = std::fs::read_to_string(repo.join("netpol-diff.md")).unwrap();
        let out = std::fs::read_to_string(&output).unwrap();
        let _ = std::fs::remove_dir_all(&runner);
        (md, out)
    };
    let (md, out) = step(&base, "runner-1");
    assert_eq!(out, "changed=1\n");
    for f in [
        "**3 pair(s) changed: 0 added, 2 removed, 1 changed**",
        "NetworkPolicy `shop/allow-api` added",
        "| removed | shop/db\\[Pod\\] | shop/api\\[Pod\\] | All connections | No connections |",
        "```mermaid",
    ] {
        assert!(md.contains(f), "missing `{f}` in\n{md}");
    }
    // The base worktree is gone, and the checkout is as it was.
    assert_eq!(git(&repo, &["worktree", "list"]).lines().count(), 1);
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    // A pull request that changes nothing: exit 0 of the diff, `changed=0`.
    let (md, out) = step(&head, "runner-2");
    assert_eq!(out, "changed=0\n");
    assert!(md.contains("**no connectivity change**"), "{md}");
    // The README's `git archive` one-liner gives the same diff.
    let archive = temp_dir("archive");
    let tar = Command::new("bash")
        .args(["-eo", "pipefail", "-c"])
        .arg(format!(
            "git archive {base} {manifests} | tar -x -C '{}'",
            archive.display()
        ))
        .current_dir(&repo)
        .status()
        .unwrap();
    assert!(tar.success());
    let diff = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args([
            "diff",
            &archive.join(&manifests).to_string_lossy(),
            &manifests,
            "--exit-code",
        ])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&diff.stdout).contains("removed: shop/db[Pod] => shop/api[Pod]")
    );
    for d in [repo, bin, archive] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn installed_as_kubectl_netpol_it_is_a_kubectl_plugin() {
    let bin = bin_dir("kubectl-netpol", "plugin");
    let run = |args: &[&str]| {
        Command::new(bin.join("kubectl-netpol"))
            .args(args)
            .current_dir(root())
            .output()
            .unwrap()
    };
    let help = run(&["--help"]);
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success());
    assert!(text.contains("Usage: kubectl netpol <COMMAND>"), "{text}");
    assert!(text.contains("kubectl netpol query"), "{text}");
    // kubectl passes the arguments after `netpol`: commands work as they do for netpol.
    let lint = run(&["lint", "examples/seed/cluster.yaml"]);
    assert!(lint.status.success());
    assert!(String::from_utf8_lossy(&lint.stdout).contains("0 error(s)"));
    let bad = run(&["lnt"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("kubectl netpol"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
    let _ = std::fs::remove_dir_all(bin);
}

#[test]
fn the_pre_commit_hook_lints_the_files_it_is_given() {
    let text = std::fs::read_to_string(root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let hook = &hooks[0];
    assert_eq!(hook["id"].as_str(), Some("netpol-lint"));
    assert_eq!(hook["language"].as_str(), Some("system"));
    let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
    let bin = bin_dir("netpol", "hook");
    // pre-commit runs `entry FILE...` with the staged files that match.
    let run = |files: &[&str]| {
        Command::new("sh")
            .arg("-c")
            .arg(format!("{} \"$@\"", entry.join(" ")))
            .arg("hook")
            .args(files)
            .env("PATH", path_with(&bin))
            .current_dir(root())
            .output()
            .unwrap()
    };
    let ok = run(&[
        "tests/diff/policy-added/after/cluster.yaml",
        "tests/diff/policy-added/after/allow-api.yaml",
    ]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let bad = run(&["crates/netpol-cli/tests/json/lint.yaml"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("error: invalid value `0`"));
    let _ = std::fs::remove_dir_all(bin);
}
