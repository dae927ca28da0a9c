#!/usr/bin/env python3
"""Pictures of the demo for the README (docs/images/demo-raw.png, demo-counting.png,
demo-zoom-inspector.png).

The demo's MOENCH scene (a beam through a Siemens star, hot and dead pixels) in raw mode,
where single frames are read noise with a few photons, and in counting mode after the counted
photons have drawn the star. Captured from the real binary in tmux like the theme pictures
(scripts/theme-pictures.py, whose capture and drawing this reuses). Needs tmux, Pillow and
fonts-dejavu-core. Not part of the test suite.

    scripts/demo-pictures.py [--binary .build/debug/detview]
"""
import argparse
import importlib.util
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("theme_pictures", os.path.join(ROOT, "scripts/theme-pictures.py"))
pictures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pictures)

# (file name, view arguments, seconds to let the demo run before the capture, keys then pressed)
SHOTS = [("demo-raw", "", 4, ()), ("demo-counting", "--mode counting --demo-rate 200", 25, ()),
         # Zoomed twice into the star's centre, the inspector on a pixel left of it.
         ("demo-zoom-inspector", "--mode counting --demo-rate 200", 20, ("z", "z", "i", "Left", "Left", "Left"))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/detview"))
    parser.add_argument("--width", type=int, default=120)
    parser.add_argument("--height", type=int, default=36)
    parser.add_argument("--only", help="one picture by name (e.g. demo-zoom-inspector)")
    args = parser.parse_args()
    for name, extra, seconds, keys in SHOTS:
        if args.only and name != args.only:
            continue
        text = pictures.capture(args.binary, "default", args.width, args.height, seconds, extra, keys)
        path = os.path.join(ROOT, "docs/images/%s.png" % name)
        pictures.draw(pictures.parse(text, args.width, args.height), path)
        print("wrote", os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
