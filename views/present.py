"""Present, the slide mode for a dialogue conference: one slide at a time, each filling the screen.

A slide is its title sentence, one figure and a footer (the slice, period, counting mode and "data as of");
in full screen nothing else. The slide's number, full screen and auto-advance are in the link
(``?slide=3&full=1&auto=20``), so a presenter can open the talk where it stands.
"""

import streamlit as st

from analytics.i18n import t
from ui import address, components, data, slide_layout, slide_stage

#: Streamlit's header, the demo banner, the page's controls and the sample note above a slide when not in full
#: screen (the slide then keeps to the page's width, beside the sidebar).
CONTROLS_PX = 300
AUTOPLAY_SECONDS = (0, 10, 20, 30, 60)

view = st.session_state["view"]
lang = view.lang
overview = data.overview(view)
keys = overview.slide_keys()
sentences = overview.sentences()


def _number(name: str, default: int, highest: int) -> int:
    wanted = st.query_params.get(name, "")
    return min(int(wanted), highest) if wanted.isdecimal() else default  # "²" passes isdigit, not int()


if "slide" not in st.session_state:  # from the link on opening; the page keeps them from then on
    st.session_state["slide"] = max(1, _number("slide", 1, len(keys)))
    st.session_state["presenting"] = st.query_params.get("full") == "1"
    wanted = _number("auto", 0, 600)
    st.session_state["autoplay"] = wanted if wanted in AUTOPLAY_SECONDS else 0
st.session_state["slide"] = min(st.session_state["slide"], len(keys))

screen = slide_stage.stage(st.session_state["autoplay"])
moves = {"next": lambda n: min(n + 1, len(keys)), "previous": lambda n: max(n - 1, 1), "first": lambda n: 1,
         "last": lambda n: len(keys), "auto": lambda n: n % len(keys) + 1}
if screen.step in moves:
    st.session_state["slide"] = moves[screen.step](st.session_state["slide"])
elif screen.step == "exit":
    st.session_state["presenting"] = False

full = st.session_state["presenting"]
if not full:
    back, position, forward, full_toggle, autoplay, deck = st.columns([1, 1, 1, 2, 2, 3], vertical_alignment="center")
    back.button(t("previous", lang), icon=":material/arrow_back:", disabled=st.session_state["slide"] == 1,
                on_click=lambda: st.session_state.update(slide=st.session_state["slide"] - 1))
    forward.button(t("next", lang), icon=":material/arrow_forward:", disabled=st.session_state["slide"] == len(keys),
                   on_click=lambda: st.session_state.update(slide=st.session_state["slide"] + 1))
    position.markdown(f"**{st.session_state['slide']} / {len(keys)}**", help=t("slide_keys", lang))
    if full_toggle.toggle(t("full_screen", lang), value=False):
        st.session_state["presenting"] = True
        st.rerun()
    st.session_state["autoplay"] = autoplay.selectbox(
        t("autoplay", lang), AUTOPLAY_SECONDS, index=AUTOPLAY_SECONDS.index(st.session_state["autoplay"]),
        label_visibility="collapsed", format_func=lambda s: t("autoplay_every", lang, seconds=s) if s else
        f"{t('autoplay', lang)}: {t('autoplay_off', lang)}")
    with deck:
        components.deck_download(view)

number = st.session_state["slide"]
key = keys[number - 1]
address.write({"slide": str(number), **({"full": "1"} if full else {}),
               **({"auto": str(st.session_state["autoplay"])} if st.session_state["autoplay"] else {})},
              owned=("slide", "full", "auto"), defaults={"slide": "1"})

width, height = (screen.width or slide_layout.DEFAULT_VIEWPORT[0], screen.height or slide_layout.DEFAULT_VIEWPORT[1])
if full:
    layout = slide_layout.fit(width, height, sentences[key])
else:
    layout = slide_layout.fit(screen.content_width or width, height, sentences[key], above=CONTROLS_PX,
                              scale=min(width / slide_layout.DESIGN_WIDTH, height / slide_layout.DESIGN_HEIGHT))
sample = data.is_sample(view.source)
if sample and not full:
    st.caption(t("sample_banner", lang))
components.slide(sentences[key], data.slide(view, key, layout.figure), overview.footer(), number, len(keys), layout,
                 full, t("demo_label", lang) if sample else None)
