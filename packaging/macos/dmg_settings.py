# dmgbuild settings for Herald's macOS disk image.
# Build: dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Herald.app Herald dist/Herald.dmg
import os.path

application = defines.get("app", "dist/Herald.app")  # noqa: F821 (dmgbuild injects `defines`)
appname = os.path.basename(application)

format = "UDZO"  # compressed, read-only
filesystem = "HFS+"
size = None  # computed from the contents
files = [application]
symlinks = {"Applications": "/Applications"}
icon_locations = {appname: (140, 120), "Applications": (500, 120)}
badge_icon = defines.get("icon")  # noqa: F821
background = "builtin-arrow"
window_rect = ((100, 100), (640, 280))
default_view = "icon-view"
icon_size = 128
text_size = 13
show_status_bar = False
show_tab_view = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
