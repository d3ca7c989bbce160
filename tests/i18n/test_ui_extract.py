"""The babel extractor for Qt Designer forms, and the mapping in i18n/babel.cfg."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg

from station_app.i18n.ui_extract import extract_ui

BABEL_CFG = Path(__file__).resolve().parents[2] / "i18n" / "babel.cfg"

FORM = """<?xml version="1.0" encoding="UTF-8"?>
<ui version="4.0">
 <class>IntakeForm</class>
 <widget class="QMainWindow" name="IntakeForm">
  <property name="windowTitle">
   <string>Help request</string>
  </property>
  <widget class="QWidget" name="central">
   <layout class="QFormLayout" name="form">
    <item row="0" column="0">
     <widget class="QLabel" name="nameLabel">
      <property name="text">
       <string extracomment="label of the person's name">Name</string>
      </property>
     </widget>
    </item>
    <item row="0" column="1">
     <widget class="QLineEdit" name="nameEdit">
      <property name="placeholderText">
       <string>Required</string>
      </property>
      <property name="toolTip">
       <string notr="true">debug only</string>
      </property>
      <property name="inputMask">
       <string>000000</string>
      </property>
      <property name="whatsThis">
       <string/>
      </property>
     </widget>
    </item>
    <item row="1" column="1">
     <widget class="QComboBox" name="sexCombo">
      <item>
       <property name="text">
        <string>Male</string>
       </property>
      </item>
      <item>
       <property name="text">
        <string>Female</string>
       </property>
      </item>
     </widget>
    </item>
    <item row="2" column="1">
     <widget class="QTabWidget" name="tabs">
      <widget class="QWidget" name="historyTab">
       <attribute name="title">
        <string>History</string>
       </attribute>
      </widget>
     </widget>
    </item>
   </layout>
  </widget>
  <action name="actionSave">
   <property name="text">
    <string>&amp;Save</string>
   </property>
   <property name="statusTip">
    <string>Save the help request</string>
   </property>
  </action>
 </widget>
</ui>
"""

EXPECTED = [
    ("Help request", ["IntakeForm: windowTitle"]),
    ("Name", ["nameLabel: text", "label of the person's name"]),
    ("Required", ["nameEdit: placeholderText"]),
    ("Male", ["sexCombo item: text"]),
    ("Female", ["sexCombo item: text"]),
    ("History", ["historyTab: title"]),
    ("&Save", ["actionSave: text"]),
    ("Save the help request", ["actionSave: statusTip"]),
]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_extracts_visible_texts_with_lines_and_widget_names(tmp_path: Path) -> None:
    form = tmp_path / "intake.ui"
    form.write_text(FORM, encoding="utf-8")
    with form.open("rb") as fh:
        found = list(extract_ui(fh, ["_"], [], {}))
    assert [(text, comments) for _line, _kw, text, comments in found] == EXPECTED
    for line, keyword, text, _comments in found:
        assert keyword == ""
        assert line == line_of(FORM, f">{text.replace('&', '&amp;')}</string>")


def test_babel_runs_the_extractor_by_its_dotted_name(tmp_path: Path) -> None:
    form = tmp_path / "intake.ui"
    form.write_text(FORM, encoding="utf-8")
    found = extract_from_file("station_app.i18n.ui_extract:extract_ui", str(form))
    assert [message for _line, message, _comments, _context in found] == [
        text for text, _comments in EXPECTED
    ]


def test_babel_cfg_maps_python_and_forms(tmp_path: Path) -> None:
    (tmp_path / "ui").mkdir()
    (tmp_path / "ui" / "intake.ui").write_text(FORM, encoding="utf-8")
    package = tmp_path / "station_app" / "domain"
    package.mkdir(parents=True)
    (package / "rules.py").write_text(
        "def check(gettext, n):\n"
        "    _('Save')\n"
        "    ngettext('{count} person', '{count} people', n)\n"
        "    # TRANSLATORS: one line of a report\n"
        "    gettext(N_('Row {row}: {reason}'))\n"
        "    gettext('not a message id')\n",
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text("_('only in a test')\n", encoding="utf-8")
    with BABEL_CFG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(BABEL_CFG))
    found = {
        message: comments
        for _file, _line, message, comments, _context in extract_from_dir(
            str(tmp_path), method_map, options_map
        )
    }
    assert found.pop("Save") == []
    assert found.pop(("{count} person", "{count} people")) == []
    assert found.pop("Row {row}: {reason}") == ["TRANSLATORS: one line of a report"]
    assert sorted(found) == sorted(text for text, _comments in EXPECTED)
