"""CSV in and out: a file as offices write it, checked cell by cell, loaded all or nothing.

source.py reads the bytes (encoding, delimiter, lines); columns.py declares each kind of file's
columns once (name, required, reader), and the header check, the rows, the rejects and the
export's columns follow from it; cells.py parses one value and guards a spreadsheet cell;
pipeline.py runs the rows of a file through a loader in one transaction, reading.py reading
and checking them meanwhile (in a process of its own on Linux); places.py finds or makes
elections and districts; districts.py and cases.py are the loaders of the two kinds of file,
cases.py with case_rows.py (what a row says, read without the database) and seen.py (the
cases an import has met, in flat memory); export.py writes cases back out so that the import
reads them exactly.
"""
