namespace Dockerbuild.Engine.Runtime;

/// <summary>How a RUN's writable root is made.</summary>
public enum SnapshotKind
{
    /// <summary>overlayfs when the kernel lets this process mount it, else a copy.</summary>
    Auto,

    /// <summary>overlayfs only; a mount failure is an error.</summary>
    Overlay,

    /// <summary>A full copy of the layers, diffed by walking both trees.</summary>
    Copy,
}
