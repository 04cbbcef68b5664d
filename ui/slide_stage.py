"""What the slide mode needs from the browser: the screen's size, and the presenter's keys.

A component without a frame of its own (Streamlit's components v2 run in the page): it reports the window's
size and the width of the page's content (again after a resize) and turns the keys a presenter's clicker
sends into steps: →, PageDown and space go on, ←, PageUp go back, Home and End go to the first and last
slide, Esc leaves full screen, F asks the browser for full screen. With ``autoplay`` seconds it steps on by
itself, back to the first slide after the last (a key press restarts the count).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

_JS = """
export default function (component) {
  const { setStateValue, setTriggerValue, data } = component;
  if (window.__slideStage) window.__slideStage();  // one set of listeners, whatever re-mounts
  const report = () => {
    const main = document.querySelector("[data-testid='stMainBlockContainer']");
    const style = main && getComputedStyle(main);
    const content = main ? main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) : 0;
    setStateValue("viewport", { width: window.innerWidth, height: window.innerHeight, content: Math.round(content) });
  };
  let resizing = null;
  const onResize = () => { clearTimeout(resizing); resizing = setTimeout(report, 250); };
  let timer = null;
  const restart = () => {
    clearInterval(timer);
    if (data.autoplay > 0) timer = setInterval(() => setTriggerValue("step", "auto"), data.autoplay * 1000);
  };
  const steps = { ArrowRight: "next", PageDown: "next", " ": "next", ArrowLeft: "previous", PageUp: "previous",
                  Home: "first", End: "last", Escape: "exit" };
  const onKey = (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    const pressing = event.key === " " && event.target.closest && event.target.closest("button, [role=switch]");
    if (typing || pressing) return;
    if (event.key === "f" || event.key === "F") {
      if (!document.fullscreenElement) document.documentElement.requestFullscreen().catch(() => {});
      return;
    }
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    restart();
    setTriggerValue("step", step);
  };
  window.addEventListener("resize", onResize);
  document.addEventListener("keydown", onKey);
  report();
  restart();
  const cleanup = () => {
    window.removeEventListener("resize", onResize);
    document.removeEventListener("keydown", onKey);
    clearInterval(timer);
    clearTimeout(resizing);
    window.__slideStage = null;
  };
  window.__slideStage = cleanup;
  return cleanup;
}
"""

_stage = st.components.v2.component("party_funnel.slide_stage", js=_JS)


@dataclass(frozen=True)
class Stage:
    """The window's size and the page content's width in CSS pixels (None until the browser has said), and the
    step asked for on this run (``next``, ``previous``, ``first``, ``last``, ``auto``, ``exit`` or None)."""

    width: int | None
    height: int | None
    content_width: int | None
    step: str | None


def stage(autoplay: int = 0) -> Stage:
    """Mount the listener (hidden: it draws nothing) and read what the browser said."""
    result = _stage(key="slide_stage", data={"autoplay": autoplay}, height=0, on_step_change=lambda: None,
                    on_viewport_change=lambda: None)
    viewport = result.viewport or {}
    return Stage(viewport.get("width"), viewport.get("height"), viewport.get("content") or None, result.step)
