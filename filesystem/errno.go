package filesystem

import "syscall"

// errNotDirSyscall is the error a path through a file gives ("/file/below").
func errNotDirSyscall() error { return syscall.ENOTDIR }
