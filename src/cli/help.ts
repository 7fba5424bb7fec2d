import { FORMAT_NAMES } from '../report/index.ts';

// The formats are listed from the registry (src/report/index.ts): a new format needs no edit here.
export const HELP = `Usage: cilium-etcd-lint [options] <overlay-dir>... 
       cilium-etcd-lint [options] --all [dir...]
       cilium-etcd-lint [options] [dir...] --changed <path>...
       cilium-etcd-lint [options] [dir...] --since <git-ref>
       cilium-etcd-lint [options] [dir...] --base <git-ref> [--fail-on new]
       cilium-etcd-lint diff --base <git-ref> [--format text|markdown] [dir...]
       kustomize build overlays/dev | cilium-etcd-lint [options] -
       cilium-etcd-lint --list-rules [--format json]
       cilium-etcd-lint explain <rule>
       cilium-etcd-lint render [--renderer builtin|kustomize] <kustomization-dir>

Renders each Kustomize overlay in-process (no kustomize binary, no network, no code from the
repository), checks the cilium-etcd invariants and its ArgoCD Application, and reports every
finding on the source line responsible.

Options:
  -f, --format <name>      ${FORMAT_NAMES.join(', ')} (default stylish): what each
                           prints is in docs/cli.md ("Output formats"); stylish and json give
                           paths relative to the working directory, the others relative to the
                           repository root
      --renderer <name>    builtin (default) or kustomize (runs \`kubectl kustomize\`, without
                           plugins, exec or helm)
      --enable-alpha-plugins, --enable-helm
                           with --renderer kustomize only: pass the flag on, letting kustomize
                           run the repository's plugins or helm (trusted repositories only)
      --all                repo mode: lint every kustomization under each dir (default .) that
                           no other kustomization there includes (skips .git, node_modules and
                           symlinks)
                           With several targets (a list, --all, --changed, --since), every
                           target is linted: one that cannot be rendered is a "fatal" finding
                           on its file:line, and the run ends with "N targets linted, M could
                           not be rendered, K excluded"; etcd-statefulset-present and
                           argocd-application report only targets holding the component
      --changed <path>...  lint only the kustomization roots under each dir (default .) whose
                           build reads one of the paths (a changed directory counts for every
                           file under it), or whose ArgoCD Application changed; takes the
                           arguments up to the next option (all of them after \`--changed --\`)
      --changed-from <file|->
                           the same, with the paths read from a file (- for stdin), one a line
      --since <git-ref>    the same, with the files changed between the merge-base of the ref
                           and HEAD, and the working tree (deleted, renamed, untracked included);
                           the ref is data: it never starts with "-", and only git is run
      --base <git-ref>     pull-request mode: lint what changed since the merge-base of the ref
                           and HEAD (as --since), at that merge-base (read from git objects:
                           nothing checked out, nothing of it run) and in the working tree;
                           each finding is new, unchanged or absent (fixed), matched by rule,
                           object, field path and message data, never by line. stylish shows
                           the new ones and counts the unchanged ones
      --fail-on error|new  exit 1 on any error (default), or only on a new one (with --base)
      --fix                apply the rules' certain fixes at the responsible lines (comments,
                           quoting and indentation kept; only inside the repository, never
                           through a symbolic link), then lint again; with --base, only the
                           new findings are fixed
      --fix-dry-run        print the fixes as a unified diff; write nothing
      --exclude <glob>     with several targets: leave out the targets the glob (relative to
                           the working directory) matches; listed as excluded (repeatable;
                           the configuration's "exclude" does the same, with a reason)
      --no-argocd          skip the ArgoCD Application checks
      --application <name|file>
                           lint only with this ArgoCD Application (its metadata.name, or the
                           file holding it); default: every Application deploying the target
  -c, --config <file>      configuration file (default: .cilium-etcd-lint.yaml or .yml, or the
                           "cilium-etcd-lint" key of package.json, found from the working
                           directory up to the repository root)
      --list-rules         list the rules, the severity each runs at and its description
                           (text, or JSON with --format json), then exit
      --color / --no-color force colours on or off (default: on for a TTY unless NO_COLOR is set)
      --debug              show stack traces for internal errors
  -h, --help               show this help
  -v, --version            print the version

\`render\` prints the rendered stream as \`kustomize build\` does (same objects, order and bytes).
\`diff --base <ref>\` prints, per affected target (and Application), a unified diff of the rendered
objects at the merge-base against the working tree (Secret values never printed).

Exit codes:
  0  no error-severity finding
  1  at least one error-severity finding
  2  the tool could not do its job (usage, invalid configuration or rule file, unreadable or
     unrenderable input, no resources), or a target of several could not be rendered
     (and is not excluded)

Suppressions: config "exemptions", or the annotation
  cilium-etcd-lint.io/ignore: "<rule>[/<container>][,<rule>...]: <reason>"
A reason is mandatory; suppressed findings are listed, never counted.

Rules: --list-rules, explain <rule>, README.md or rules/<rule-id>.md.

Start-up: the CLI keeps a V8 code cache in $XDG_CACHE_HOME/cilium-etcd-lint (or
~/.cache/cilium-etcd-lint); CILIUM_ETCD_LINT_CODE_CACHE=<dir> moves it, =off disables it.
`;
