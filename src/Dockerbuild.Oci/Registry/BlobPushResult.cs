namespace Dockerbuild.Oci.Registry;

/// <summary>How a blob came to be in the target repository.</summary>
public enum BlobPushResult
{
    /// <summary>It was there already (HEAD answered 200): nothing sent.</summary>
    Exists,

    /// <summary>Cross-repository mount: the registry linked it, nothing sent.</summary>
    Mounted,

    Uploaded,
}
