namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>The kind of a <c>RUN --mount</c>.</summary>
public enum MountType
{
    Bind,
    Cache,
    Tmpfs,
    Secret,
    Ssh,
}
