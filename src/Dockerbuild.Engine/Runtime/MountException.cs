namespace Dockerbuild.Engine.Runtime;

/// <summary>A mount the runtime layer needed (overlay rootfs, lower view) could not be made.</summary>
public sealed class MountException(string message, int errno) : IOException(message, errno);
