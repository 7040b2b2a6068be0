namespace Dockerbuild.Oci.Registry;

/// <summary>
/// The cancellation of one HTTP attempt: a response timeout while waiting for headers, and an inactivity
/// timeout while body bytes flow. There is no overall limit, so a large layer takes as long as it needs.
/// </summary>
internal sealed class TransferDeadline : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly RegistryClientOptions options;

    public TransferDeadline(RegistryClientOptions options, CancellationToken cancellationToken)
    {
        this.options = options;
        source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(options.ResponseTimeout);
    }

    public CancellationToken Token => source.Token;

    /// <summary>Bytes moved: the inactivity clock starts again.</summary>
    public void Activity() => source.CancelAfter(options.InactivityTimeout);

    /// <summary>The body is sent: the registry may now take the response timeout to verify and answer.</summary>
    public void AwaitingResponse() => source.CancelAfter(options.ResponseTimeout);

    public void Dispose() => source.Dispose();
}
