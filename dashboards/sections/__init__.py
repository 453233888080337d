"""Page sections: one function per part of a page, layout only (Streamlit calls on frames shaped in
dashboards/views/), so the page file reads as its outline."""
