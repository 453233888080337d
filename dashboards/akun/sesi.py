"""Login on the page: the form, the session check at every page run, and the reading gate.

A login lives in Streamlit's session state, which stays on the server: the browser holds no
token that could be stolen or replayed, and nothing secret is kept (the form clears the
password on submit). Every page run checks the session against the store, so `nonaktifkan`,
`ganti-sandi` and the 8-hour limit end it at the next run. The price: reloading the browser tab
starts a new session, so the officer logs in again.

A fragment reruns on its own (`run_every`, or a widget inside it) without the page around it,
so a page's fragments are made with `fragment` below, which checks the session at each run too.
"""

import functools
import os

import streamlit as st

from pengguna.store import AccountStore, Outcome, Session, default_store

SESSION_KEY = "_akun_sesi"
ENDED_KEY = "_akun_sesi_berakhir"
WRONG_MESSAGE = "Nama pengguna atau kata sandi salah."
LOCKED_MESSAGE = (
    "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Coba lagi setelah 15 menit."
)
ENDED_MESSAGE = "Sesi Anda telah berakhir. Silakan masuk lagi."


def login_required() -> bool:
    """DASBOR_WAJIB_MASUK=1: every page asks for a login (docs/operations.md says when to switch it on)."""
    return os.environ.get("DASBOR_WAJIB_MASUK", "").strip() == "1"


def store() -> AccountStore:
    return default_store()


def current() -> Session | None:
    """The valid session of this browser tab, or None; an ended session is dropped here."""
    session = st.session_state.get(SESSION_KEY)
    if session is None:
        return None
    if not store().session_valid(session):
        del st.session_state[SESSION_KEY]
        st.session_state[ENDED_KEY] = True
        return None
    return session


def fragment(func=None, *, run_every: float | None = None):
    """`st.fragment` whose every run first checks the session, as a page run does. An ended
    session (deactivated, new password, 8 hours) reruns the whole page, which then shows the
    login form and says the session ended: the fragment shows nothing more of the account."""

    def decorate(func):
        @functools.wraps(func)
        def checked(*args, **kwargs):
            if current() is None:
                st.rerun(scope="app")
            return func(*args, **kwargs)

        return st.fragment(checked, run_every=run_every)

    return decorate(func) if func is not None else decorate


def login_form(key: str = "masuk") -> Session | None:
    """The login form; returns the new session after a successful login (and reruns)."""
    if st.session_state.pop(ENDED_KEY, False):
        st.warning(ENDED_MESSAGE, icon=":material/logout:")
    with st.form(key, clear_on_submit=True):
        nama = st.text_input("Nama pengguna", autocomplete="username")
        sandi = st.text_input("Kata sandi", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Masuk", type="primary")
    if not submitted:
        return None
    outcome, session = store().authenticate(nama, sandi)
    if outcome is Outcome.OK:
        st.session_state[SESSION_KEY] = session
        st.rerun()
    st.error(LOCKED_MESSAGE if outcome is Outcome.LOCKED else WRONG_MESSAGE, icon=":material/lock:")
    return None


def logout(key: str = "keluar") -> None:
    if st.button("Keluar", key=key, icon=":material/logout:"):
        st.session_state.pop(SESSION_KEY, None)
        st.rerun()


def describe(session: Session, kabupaten: dict[str, str] | None = None) -> str:
    where = (
        (kabupaten or {}).get(session.kode_kab, session.kode_kab)
        if session.kode_kab
        else "semua kabupaten/kota"
    )
    nama = session.nama.replace("_", "\\_")  # names may hold '_', which Markdown would eat
    return f"Masuk sebagai **{nama}** ({session.peran}, {where})"


def signed_in(intro: str, kabupaten: dict[str, str] | None = None) -> Session:
    """The page's account row: who is signed in, with a logout button. Without a session it
    shows `intro` and the login form and stops the page run there."""
    session = current()
    if session is None:
        st.caption(intro)
        login_form()
        st.stop()
    top = st.columns([4, 1])
    top[0].markdown(describe(session, kabupaten))
    with top[1]:
        logout()
    return session


def gate() -> bool:
    """Called by app.py at every page run, before the page: ends a session that is no longer
    valid, and with DASBOR_WAJIB_MASUK=1 shows only the login form until someone logs in."""
    session = current()
    if not login_required():
        return True
    if session is None:
        st.title("Masuk")
        st.caption("Dasbor ini hanya untuk pengguna terdaftar.")
        login_form("masuk_wajib")
        return False
    with st.sidebar:
        st.caption(describe(session))
        logout("keluar_sidebar")
    return True
