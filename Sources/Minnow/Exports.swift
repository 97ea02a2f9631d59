@_exported import MinnowGGUF
