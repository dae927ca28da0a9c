import Platform

/// The name this module's API used for `Platform.SystemCallError` before Platform existed;
/// kept so the Viewer files still pending migration (ViewerSession, Receiver) compile unchanged.
public typealias SystemError = SystemCallError
