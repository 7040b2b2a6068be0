namespace Dockerbuild.Oci.Registry;

/// <summary>Where one blob's transfer stands, as docker's progress lines name it.</summary>
public enum TransferStatus
{
    Waiting,
    Downloading,
    Uploading,

    /// <summary>An attempt failed; the transfer waits and resumes or restarts.</summary>
    Retrying,

    /// <summary>Push: the registry already had the blob ("Layer already exists").</summary>
    Exists,

    /// <summary>Push: mounted from another repository of the registry, nothing uploaded.</summary>
    Mounted,

    Complete,
}
