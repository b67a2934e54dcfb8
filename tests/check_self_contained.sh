#!/usr/bin/env bash
# The repository stands alone (ctest: self_contained): no tracked file names a path of one
# particular machine (a home or workspace folder: the root user's home, /home/<user>, /Users/<user>,
# the workspace folder checkouts live in) or a file outside the repository (a relative path that climbs above the
# repository's root, or the reading-material folder `shared/` next to a checkout). System paths
# that Debian packages install (/usr/share/nodejs, /usr/src/googletest, /usr/bin/chromium) are
# dependencies the setup script installs, not machine paths: they are allowed. http(s) URLs are
# not paths (package-lock.json's registry addresses).
#   check_self_contained.sh <repository root>
set -euo pipefail
cd "${1:-$(dirname "${BASH_SOURCE[0]}")/..}"
# The tracked files; outside a git checkout (a source archive), every file but build output.
files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z
  else
    find . \( -name .git -o -name node_modules -o -name build -o -name dist \) -prune -o -type f -print0 | sed -z 's|^\./||'
  fi
}

# Prints "file:line: what: text" for each finding; the file name and its folder depth are
# known to perl, so a relative path is resolved against the folder of the file naming it.
files | xargs -0 perl -e '
  my $found = 0;
  for my $file (@ARGV) {
    next if -d $file || !-f $file || -B $file;
    open(my $fh, "<", $file) or next;
    my @dir = split m{/}, $file; pop @dir;
    while (my $line = <$fh>) {
      (my $text = $line) =~ s{\bhttps?://\S+}{}g;
      my @what;
      push @what, "a machine path"
        if $text =~ m{(?:^|[^\w.\$/-])/(?:work|root|Users/\w|home/[a-z_][\w-]*)(?:/|\b)}
        || $text =~ m{[A-Za-z]:\\\\(?:Users|home)\\\\}i;
      push @what, "the shared/ folder outside the repository"
        if $text =~ m{(?:^|[^\w.-])(?:\.\./)*shared/(?:bench|data|TOOLCHAIN|FORECASTING|PLAYGROUND|TEACHING|STYLE)\b};
      while ($text =~ m{((?:\.\./)+)[\w.-]}g) {
        my $up = length($1) / 3;
        if ($up > @dir) { push @what, "a relative path above the repository root"; last; }
      }
      next unless @what;
      $line =~ s/\s+$//;
      printf "%s:%d: %s: %s\n", $file, $., join(", ", @what), substr($line, 0, 160);
      $found++;
    }
    close $fh;
  }
  exit($found ? 1 : 0);
' && { echo "ok: no tracked file names a machine path or a file outside the repository ($(files | tr -cd "\\0" | wc -c) files)"; exit 0; }
echo "FAIL: the files above name paths outside the repository; write the facts into the repository's docs (bench/CONFIGS.md, ARCHITECTURE.md \"Toolchain\") and point there, and use paths relative to the repository" >&2
exit 1
