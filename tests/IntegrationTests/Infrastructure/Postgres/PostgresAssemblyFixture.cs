using Notify.IntegrationTests.Infrastructure.Postgres;
using Xunit;

// One PostgreSQL server for the whole test run; test classes take PostgresServer in their constructor.
[assembly: AssemblyFixture(typeof(PostgresServer))]
