namespace Dockerbuild.Oci;

/// <summary>Annotation keys the layout and archive formats use to name images.</summary>
public static class Annotations
{
    /// <summary>The tag (or other reference name) of an index entry in an OCI layout.</summary>
    public const string RefName = "org.opencontainers.image.ref.name";

    /// <summary>containerd's (and docker save's) full image name on an index entry.</summary>
    public const string ImageName = "io.containerd.image.name";

    public const string Created = "org.opencontainers.image.created";
}
