"""The class board: groups submit what-ifs, the teacher reveals and compares them (``python -m sim class``)."""
