import CNCursesW
// CursesBackend: placeholder.
func _probe() -> Int32 { dv_lines() }
