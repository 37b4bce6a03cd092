#!/bin/sh
# Installs CallClient from this unpacked tarball for the user running it (no root needed):
#   ~/.local/opt/callclient/          the frozen app (replaced whole on upgrade)
#   ~/.local/bin/callclient           a link to it, for the terminal and the control verbs
#   ~/.local/share/applications/callclient.desktop   the menu entry; declares sip:, sips:, tel:, callto:
#   ~/.local/share/icons/hicolor/scalable/apps/callclient.svg
# Which program opens sip:/tel: links stays the user's choice (Settings > Desktop > Links, or xdg-mime);
# until another program claims them, the desktop finds CallClient through the entry's MimeType.
#
# Run as root, it also installs the polkit policies the app ships (resources/linux/*.policy, for the
# app-lock helper) into /usr/share/polkit-1/actions, where polkit reads them; as a user it says how.
#
#   ./install.sh              install or upgrade
#   ./install.sh --uninstall  remove what install.sh put in place (your settings and data stay)
#
# CALLCLIENT_PREFIX (default ~/.local) and XDG_DATA_HOME move the places above, e.g. for a test.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prefix=${CALLCLIENT_PREFIX:-$HOME/.local}
data=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir=$prefix/opt/callclient
bin_link=$prefix/bin/callclient
entry=$data/applications/callclient.desktop
icon=$data/icons/hicolor/scalable/apps/callclient.svg
polkit_dir=${CALLCLIENT_POLKIT_DIR:-/usr/share/polkit-1/actions}

refresh_caches() {
    # mimeinfo.cache is how xdg-mime and file managers find the sip:/tel: handler without a default set.
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$data/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$data/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$data/icons/hicolor" || true
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$app_dir"
    [ -L "$bin_link" ] && rm -f "$bin_link"
    rm -f "$entry" "$icon"
    refresh_caches
    echo "CallClient removed. Your settings and data are kept (callclient --erase-all-data removes them first)."
    exit 0
fi

if [ ! -x "$here/CallClient/callclient" ]; then
    echo "install.sh: $here/CallClient/callclient is missing: run this from the unpacked tarball" >&2
    exit 1
fi
resources=$here/CallClient/_internal/resources

mkdir -p "$prefix/opt" "$prefix/bin" "$data/applications" "$(dirname "$icon")"
# Copy beside the old version, then swap: a failed copy leaves the installed app as it was.
rm -rf "$app_dir.new"
cp -a "$here/CallClient" "$app_dir.new"
rm -rf "$app_dir.old"
[ -d "$app_dir" ] && mv "$app_dir" "$app_dir.old"
mv "$app_dir.new" "$app_dir"
rm -rf "$app_dir.old"
ln -sfn "$app_dir/callclient" "$bin_link"

# The shipped entry runs `callclient` from PATH; here it names the installed program, so it works
# even where ~/.local/bin is not on the session's PATH.
sed -e "s|^Exec=callclient |Exec=$app_dir/callclient |" -e "/^Exec=/a TryExec=$app_dir/callclient" \
    "$resources/callclient.desktop" > "$entry.new"
chmod 644 "$entry.new"
mv "$entry.new" "$entry"
install -m 644 "$resources/icons/callclient.svg" "$icon"
refresh_caches

policies=$(find "$resources/linux" -maxdepth 1 -name '*.policy' 2>/dev/null || true)
if [ -n "$policies" ]; then
    if [ "$(id -u)" = 0 ]; then
        mkdir -p "$polkit_dir"
        for policy in $policies; do
            install -m 644 "$policy" "$polkit_dir/"
        done
        echo "polkit policies installed in $polkit_dir"
    else
        echo "Note: for the app lock's system helper, an administrator installs its polkit policy:"
        for policy in $policies; do
            echo "  sudo install -m 644 $app_dir/_internal/resources/linux/$(basename "$policy") $polkit_dir/"
        done
    fi
fi

echo "CallClient installed in $app_dir; start it from the menu or with $bin_link"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) echo "($prefix/bin is not on your PATH: add it to use the callclient command in a terminal)" ;;
esac
