#!/usr/bin/env python3
"""Pictures of every theme for the README (docs/images/theme-NAME.png).

Runs the built binary on its demo in a detached tmux per theme (256 colours, the usual case over
SSH), reads the screen with `tmux capture-pane -e` (text and SGR escapes) after the demo has run
a few seconds, and draws the cells with DejaVu Sans Mono: a terminal capture, not a mock-up.
Needs tmux, Pillow (`pip install pillow`) and fonts-dejavu-core. Not part of the test suite.

    scripts/theme-pictures.py [--binary .build/debug/detview] [--themes default,light,...]
"""
import argparse
import os
import re
import subprocess
import sys
import time

from PIL import Image, ImageDraw, ImageFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
# The terminal's own colours, where a theme leaves them: a common dark terminal.
DEFAULT_FG = (208, 208, 208)
DEFAULT_BG = (28, 28, 28)
# xterm's 16 ANSI colours.
ANSI = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
        (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
        (255, 0, 255), (0, 255, 255), (255, 255, 255)]


def palette(index):
    """The xterm-256 colour of a palette index."""
    if index < 16:
        return ANSI[index]
    if index < 232:
        i = index - 16
        levels = [0, 95, 135, 175, 215, 255]
        return (levels[i // 36], levels[(i // 6) % 6], levels[i % 6])
    grey = 8 + 10 * (index - 232)
    return (grey, grey, grey)


def parse(capture, width, height):
    """Cells (char, fg, bg, bold) from capture-pane -e output; None colour = terminal default."""
    rows = []
    state = {"fg": None, "bg": None, "bold": False, "reverse": False}
    for line in capture.split("\n")[:height]:
        row = []
        for token in re.split(r"(\x1b\[[0-9;]*m)", line):
            if token.startswith("\x1b["):
                codes = [int(c) if c else 0 for c in token[2:-1].split(";")]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0:
                        state = {"fg": None, "bg": None, "bold": False, "reverse": False}
                    elif c == 1:
                        state["bold"] = True
                    elif c == 22:
                        state["bold"] = False
                    elif c == 7:
                        state["reverse"] = True
                    elif c == 27:
                        state["reverse"] = False
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        state["fg" if c == 38 else "bg"] = palette(codes[i + 2])
                        i += 2
                    elif c in (38, 48) and i + 4 < len(codes) and codes[i + 1] == 2:
                        state["fg" if c == 38 else "bg"] = tuple(codes[i + 2:i + 5])
                        i += 4
                    elif c == 39:
                        state["fg"] = None
                    elif c == 49:
                        state["bg"] = None
                    elif 30 <= c <= 37 or 90 <= c <= 97:
                        state["fg"] = ANSI[c - 30 if c < 90 else c - 82]
                    elif 40 <= c <= 47 or 100 <= c <= 107:
                        state["bg"] = ANSI[c - 40 if c < 100 else c - 92]
                    i += 1
            else:
                for ch in token:
                    fg, bg = state["fg"] or DEFAULT_FG, state["bg"] or DEFAULT_BG
                    if state["reverse"]:
                        fg, bg = bg, fg
                    row.append((ch, fg, bg, state["bold"]))
        while len(row) < width:
            row.append((" ", DEFAULT_FG, DEFAULT_BG, False))
        rows.append(row[:width])
    return rows


def draw(rows, path, size=14):
    font, bold = ImageFont.truetype(FONT, size), ImageFont.truetype(FONT_BOLD, size)
    left, top, right, bottom = font.getbbox("M")
    cw, ch = int(font.getlength("M") + 0.5), int(size * 1.25)
    image = Image.new("RGB", (cw * len(rows[0]), ch * len(rows)))
    pen = ImageDraw.Draw(image)
    for y, row in enumerate(rows):
        for x, (char, fg, bg, is_bold) in enumerate(row):
            box = (x * cw, y * ch, (x + 1) * cw - 1, (y + 1) * ch - 1)
            pen.rectangle(box, fill=bg)
            if char == "▀":   # exact halves: the font's glyph leaves gaps between cells
                pen.rectangle((box[0], box[1], box[2], box[1] + ch // 2 - 1), fill=fg)
            elif char != " ":
                pen.text((x * cw, y * ch + 1), char, font=bold if is_bold else font, fill=fg)
    image.save(path, optimize=True)


def capture(binary, theme, width, height, seconds, extra="", keys=()):
    server = "detview-pictures-%d" % os.getpid()
    tmux = ["tmux", "-L", server, "-f", "/dev/null"]
    command = ("env -i PATH=/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 TERM=tmux-256color "
               "%s view --demo --workers 1 --demo-rate 100 --theme %s %s" % (binary, theme, extra))
    subprocess.run(tmux + ["new-session", "-d", "-s", "m", "-x", str(width), "-y", str(height), command], check=True)
    try:
        time.sleep(seconds)
        # Keys pressed once the demo runs (tmux key names), each given time to take effect.
        for key in keys:
            subprocess.run(tmux + ["send-keys", "-t", "m", key], check=True)
            time.sleep(1)
        return subprocess.run(tmux + ["capture-pane", "-p", "-e", "-N", "-t", "m"], check=True,
                              capture_output=True, text=True).stdout
    finally:
        subprocess.run(tmux + ["send-keys", "-t", "m", "q"])
        time.sleep(1)
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build/debug/detview"))
    parser.add_argument("--themes", default="default,light,high-contrast,solarized,mono")
    parser.add_argument("--width", type=int, default=100)
    parser.add_argument("--height", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=4)
    args = parser.parse_args()
    for theme in args.themes.split(","):
        text = capture(args.binary, theme, args.width, args.height, args.seconds)
        path = os.path.join(ROOT, "docs/images/theme-%s.png" % theme)
        draw(parse(text, args.width, args.height), path)
        print("wrote", os.path.relpath(path, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
