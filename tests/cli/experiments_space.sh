#!/usr/bin/env bash
# experiments_space: proves best.sh's default space follows the node. With the real node: every
# strategy but file and every delivery mode appear, every integer and one-of key the node lists
# is set somewhere (each integer key with two values or more, so the refinement moves it), the
# keys of other types are named as left out, and the space reads into the points the parts
# promise (their products, '-' where a part leaves a key out, each INI loaded by the node). With
# a node that lists one key more and has no hubs: the new key gets a part of its own (values
# clipped to its range), the parts of hubs are gone.
# Environment (from ctest): BIN_DIR, SRC_DIR, WORK_DIR.
set -eu -o pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
best="$SRC_DIR/experiments/best.sh"
node="$BIN_DIR/broadcast-node"
setup_work_dir

check "best.sh --print-space" env GL_BIN_DIR="$BIN_DIR" "$best" --print-space >space.txt
"$node" --list-keys >keys || fail "broadcast-node --list-keys"

# values KEY: the distinct values of KEY over the space's --set lines, one a line.
values() {
    sed -n "s/^--set $1=//p" space.txt | tr , '\n' | sort -u
}

step "every strategy but file, every delivery mode"
"$node" --list-strategies | grep -vx file | sort >strategies.expected
values topology.strategy >strategies
same_file strategies.expected strategies
awk '$1 == "delivery.mode" { print $3 }' keys | tr '|' '\n' | sort >modes.expected
values delivery.mode >modes
same_file modes.expected modes

step "every integer and one-of key, integer keys with two values or more"
while read -r key type accepted; do
    case "$type" in
    integer)
        values "$key" >vals
        check "$key has two values or more" test "$(wc -l <vals)" -ge 2
        lo="${accepted%..*}" hi="${accepted#*..}"
        awk -v lo="$lo" -v hi="$hi" '$1 < lo || $1 > hi { exit 1 }' vals ||
            fail "$key: a value outside $accepted: $(paste -sd' ' vals)"
        ;;
    one-of)
        [[ "$key" == topology.strategy ]] && continue
        values "$key" >vals
        echo "$accepted" | tr '|' '\n' | sort >vals.expected
        same_file vals.expected vals
        ;;
    *) echo "$key ($type)" ;;
    esac
done <keys >others
has_line space.txt "# left out (not a number or a choice of values): $(paste -sd, others | sed 's/,/, /g')"

step "the parts read into their points"
cat >read.sh <<EOF || fail "write read.sh"
SRC_DIR="$SRC_DIR" PROG=test node_bin="$node" node_count=25 runner=virtual
source "$SRC_DIR/experiments/lib.sh"
source "$SRC_DIR/experiments/lib-space.sh"
gl_space_read space.txt space.txt
echo "parts \$GL_SPACE_PARTS points \${#GL_POINTS[@]} axes \${#GL_AXES[@]}"
printf '%s\n' "\${GL_AXES[@]}" >axes
printf '%s\n' "\${GL_POINTS[@]}" >points
gl_results_columns() { :; }
harness=/bin/true
mkdir -p load
gl_write_configs load
EOF
bash read.sh >read.out 2>read.err || fail "gl_space_read or a part's INI: $(cat read.err)"
# The product of each part, from the file itself.
awk '/^--or/ { t += p; p = 0; next } /^--set/ { n = split($2, a, ","); p = (p ? p : 1) * n }
    END { print t + p }' space.txt >points.expected
parts="$(($(grep -c '^--or$' space.txt) + 1))"
nsets="$(sed -n 's/^--set \([^=]*\)=.*/\1/p' space.txt | sort -u | wc -l)"
same_text "parts $parts points $(cat points.expected) axes $nsets" read.out
check "the INIs, each loaded" test "$(find load/configs -name '*.ini' | wc -l)" -eq "$(cat points.expected)"
step "the first part (every strategy x mode x period) leaves every other key out"
first="$(grep -n -m1 '^--or$' space.txt | cut -d: -f1)"
sed -n "1,${first}p" space.txt | grep -c '^--set ' >first_keys || fail "no --set in the first part"
sed -n 1p points | tr , '\n' | grep -cx -- - >first_unset || true
same_text "$(($(wc -l <axes) - $(cat first_keys)))" first_unset

# ---- a node with one key more and no hubs ------------------------------------------------------
step "a node that gains a key and loses hubs"
mkdir -p other || fail "mkdir other"
ln -s "$BIN_DIR/harness" "$BIN_DIR/gl-fit" other/ || fail "link harness and gl-fit"
cat >other/broadcast-node <<EOF || fail "write other/broadcast-node"
#!/usr/bin/env bash
case "\${1:-}" in
--list-keys) "$node" --list-keys | grep -v '^topology.hubs ' | sed 's/|hubs|/|/'
    echo "batch.new_ms integer 5..1000" ;;
--list-strategies) "$node" --list-strategies | grep -vx hubs ;;
*) exec "$node" "\$@" ;;
esac
EOF
chmod +x other/broadcast-node || fail "chmod"
check "best.sh --print-space (other node)" env GL_BIN_DIR="$WORK_DIR/other" "$best" --print-space >space.txt
has_line space.txt "# batch.new_ms, which no part above names"
same_text "5,100,400,1000" <(sed -n 's/^--set batch.new_ms=//p' space.txt)
check "no hubs anywhere" test -z "$(grep -e hubs space.txt || true)"
finish
