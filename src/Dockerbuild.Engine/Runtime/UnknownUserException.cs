namespace Dockerbuild.Engine.Runtime;

/// <summary>A USER names a user or group the image's /etc/passwd or /etc/group does not have.</summary>
public sealed class UnknownUserException(string message) : Exception(message);
