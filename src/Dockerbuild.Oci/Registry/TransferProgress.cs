namespace Dockerbuild.Oci.Registry;

/// <summary>One progress report for one blob: bytes moved so far of its size.</summary>
public sealed record TransferProgress(Digest Digest, long Transferred, long Size, TransferStatus Status);
