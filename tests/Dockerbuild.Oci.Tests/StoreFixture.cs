using Dockerbuild.Oci.Storage;
using Dockerbuild.Testing;

namespace Dockerbuild.Oci.Tests;

/// <summary>A temporary directory with a blob store in it, for tests that move images between places.</summary>
public abstract class StoreFixture : IDisposable
{
    protected StoreFixture()
    {
        Temp = new TempDirectory("dockerbuild-oci-tests-");
        Store = new BlobStore(Temp.Combine("store"));
    }

    internal TempDirectory Temp { get; }

    protected BlobStore Store { get; }

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}
