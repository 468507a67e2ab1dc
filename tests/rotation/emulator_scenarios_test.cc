// The scenario suites again, end to end over both emulators and the real clients.

#include "emulator_world.h"
#include "interruption_fixture.h"
#include "scenario_fixture.h"

namespace dbtrotate::testing {

INSTANTIATE_TEST_SUITE_P(Emulators, RotateScenario, ::testing::ValuesIn(EmulatorWorlds()),
                         WorldName);
INSTANTIATE_TEST_SUITE_P(Emulators, StatusInitScenario, ::testing::ValuesIn(EmulatorWorlds()),
                         WorldName);
// Every call index × every fault over real HTTP takes seconds: the default emulators only (the
// variants are covered by the fakes' runs and by the scenario suites above).
INSTANTIATE_TEST_SUITE_P(Emulators, InterruptionTest,
                         ::testing::ValuesIn(InterruptionParams({EmulatorWorlds().front()})),
                         InterruptionName);
INSTANTIATE_TEST_SUITE_P(Emulators, ConcurrencyTest,
                         ::testing::ValuesIn(ConcurrencyParams({EmulatorWorlds().front()})),
                         ConcurrencyName);

}  // namespace dbtrotate::testing
