"""Without the cli extra, the glassnet command says what to install in one line."""

import subprocess
import sys

BLOCK_CLICK = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            raise ModuleNotFoundError("No module named 'click'", name="click")
sys.meta_path.insert(0, Block())
from glassnet.cli import main
main(["example"])
"""


def test_missing_click_is_one_line_and_exit_code_2():
    result = subprocess.run([sys.executable, "-c", BLOCK_CLICK], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "glassnet: error: the command line needs 'click', which is not installed; install it "
        "with: pip install 'glassnet[all]'"]
