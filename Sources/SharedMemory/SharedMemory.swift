import CLinux
// SharedMemory: placeholder.
