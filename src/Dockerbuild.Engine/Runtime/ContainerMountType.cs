namespace Dockerbuild.Engine.Runtime;

public enum ContainerMountType
{
    /// <summary>A host file or directory (bind, cache, secret and ssh mounts are all binds of something the executor prepared).</summary>
    Bind,

    /// <summary>A fresh tmpfs.</summary>
    Tmpfs,
}
