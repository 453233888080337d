"""Data shaping for the pages: plain functions from snapshot frames to the tables, labels and
map frames a page shows. No Streamlit here, so each page file reads as its layout."""
