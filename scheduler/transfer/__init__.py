"""Import and export: attendees and sites to and from CSV and XLSX, printable sheets.

Imports are checked before anything is written (a preview), then written all
or nothing; large files are checked and written by the background pass.
"""
