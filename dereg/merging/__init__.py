"""Merging: another office's database into this one (`dereg merge`), and one person recorded
twice into one case (`dereg case merge`). source.py opens the other file without changing it;
settle.py decides a value known differently on two sides; database.py and cases.py do the work."""
